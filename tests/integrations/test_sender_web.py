"""The web senders against a real HTTP server on 127.0.0.1: the bytes each protocol sends, the
answer kept, and how each kind of failure is classified (retry or final) in one sentence."""

from __future__ import annotations

import base64
import json
import socket
from datetime import UTC, datetime

import httpx
import pytest

from commander.core.channels import Channel
from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSettings,
)
from commander.integrations.sender_base import DeliveryFailed, Outgoing
from commander.integrations.sender_web import (
    check_statuspage,
    retry_after,
    send_pagerduty,
    send_slack,
    send_statuspage,
    send_teams,
    send_webhook,
    sign_standard_webhook,
    teams_url_warning,
)
from tests.integrations.conftest import Reply

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SECRET = "whsec_" + base64.b64encode(b"signing-key").decode()


def _message(channel: Channel, payload: dict | None = None, remote_id: str | None = None):  # type: ignore[no-untyped-def,type-arg]
    return Outgoing(
        id="msg_1", incident_id="inc", channel=channel, subject="S", body="B",
        payload=payload if payload is not None else {"text": "API down"}, remote_id=remote_id,
    )  # fmt: skip


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    with httpx.Client(timeout=2) as c:
        yield c


def test_slack_posts_the_payload_and_keeps_the_answer(server, secrets, client) -> None:
    secrets.set(SLACK_URL, server.url + "/services/T/B/X")
    done = send_slack(_message(Channel.SLACK), secrets=secrets, client=client)
    assert done.answer == "Slack: ok" and not done.accepted_only
    [request] = server.requests
    assert (request.method, request.path) == ("POST", "/services/T/B/X")
    assert request.json() == {"text": "API down"}


def test_teams_is_only_accepted(server, secrets, client) -> None:
    secrets.set(TEAMS_URL, server.url + "/workflows/1")
    server.replies = [Reply(202, "")]
    done = send_teams(_message(Channel.TEAMS), secrets=secrets, client=client)
    assert (done.answer, done.accepted_only) == ("accepted by Teams (HTTP 202)", True)


def test_the_webhook_is_signed_over_id_timestamp_and_body(server, secrets, client) -> None:
    secrets.set(WEBHOOK_URL, server.url + "/hook")
    secrets.set(WEBHOOK_SECRET, SECRET)
    done = send_webhook(_message(Channel.WEBHOOK), secrets=secrets, client=client, now=NOW)
    assert done.answer == "Webhook: ok"
    [request] = server.requests
    stamp = int(NOW.timestamp())
    assert request.headers["webhook-id"] == "msg_1"
    assert request.headers["webhook-timestamp"] == str(stamp)
    assert request.headers["webhook-signature"] == sign_standard_webhook(
        SECRET, "msg_1", stamp, request.body
    )
    assert request.body == b'{"text":"API down","timestamp":"2026-11-28T10:00:00Z"}'


def test_a_signature_is_the_hmac_of_the_decoded_key_or_the_raw_text() -> None:
    import hashlib
    import hmac

    digest = hmac.new(b"signing-key", b"m.1.{}", hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    assert sign_standard_webhook(SECRET, "m", 1, b"{}") == expected
    assert sign_standard_webhook("signing-key", "m", 1, b"{}") == expected


def test_a_signing_secret_that_is_not_base64_is_refused_before_sending(
    server, secrets, client
) -> None:
    secrets.set(WEBHOOK_URL, server.url + "/hook")
    secrets.set(WEBHOOK_SECRET, "whsec_not base64!")
    with pytest.raises(DeliveryFailed) as caught:
        send_webhook(_message(Channel.WEBHOOK), secrets=secrets, client=client, now=NOW)
    assert str(caught.value) == "The webhook signing secret is not valid base64 after 'whsec_'."
    assert caught.value.final and server.requests == []


def test_pagerduty_gets_the_routing_key_in_the_body(server, secrets, client) -> None:
    secrets.set(PAGERDUTY_KEY, "R0UT1NG")
    settings = ChannelSettings(pagerduty_events_url=server.url + "/v2/enqueue")
    server.replies = [Reply(202, '{"status": "success", "message": "Event processed"}')]
    payload = {"event_action": "trigger", "dedup_key": "inc"}
    done = send_pagerduty(
        _message(Channel.PAGERDUTY, payload), settings=settings, secrets=secrets, client=client
    )
    assert done.answer == "PagerDuty: Event processed"
    assert server.requests[0].json() == {"routing_key": "R0UT1NG", **payload}


def test_statuspage_creates_then_updates_its_incident(server, secrets, client) -> None:
    secrets.set(STATUSPAGE_KEY, "k3y")
    settings = ChannelSettings(statuspage_page_id=" pg1 ", statuspage_api_base=server.url + "/")
    server.replies = [
        Reply(201, json.dumps({"id": "sp9", "status": "investigating", "shortlink": "http://s/x"})),
        Reply(200, json.dumps({"id": "sp9", "status": "resolved"})),
    ]
    created = send_statuspage(
        _message(Channel.STATUSPAGE), settings=settings, secrets=secrets, client=client
    )
    assert created.answer == "Status page incident sp9 is investigating (http://s/x)"
    assert created.remote_id == "sp9"
    updated = send_statuspage(
        _message(Channel.STATUSPAGE, remote_id="sp9"),
        settings=settings, secrets=secrets, client=client,
    )  # fmt: skip
    assert updated.answer == "Status page incident sp9 is resolved"
    first, second = server.requests
    assert (first.method, first.path) == ("POST", "/v1/pages/pg1/incidents")
    assert (second.method, second.path) == ("PATCH", "/v1/pages/pg1/incidents/sp9")
    assert first.headers["authorization"] == "OAuth k3y"


def test_a_statuspage_answer_without_an_id_is_final(server, secrets, client) -> None:
    secrets.set(STATUSPAGE_KEY, "k3y")
    settings = ChannelSettings(statuspage_page_id="pg1", statuspage_api_base=server.url)
    server.replies = [Reply(200, "<html>maintenance</html>")]
    with pytest.raises(DeliveryFailed) as caught:
        send_statuspage(
            _message(Channel.STATUSPAGE), settings=settings, secrets=secrets, client=client
        )
    assert str(caught.value) == "The status page answered HTTP 200 without an incident id."
    assert caught.value.final


def test_checking_the_status_page_reads_it_without_posting(server, secrets, client) -> None:
    secrets.set(STATUSPAGE_KEY, "k3y")
    settings = ChannelSettings(statuspage_page_id="pg1", statuspage_api_base=server.url)
    server.replies = [Reply(200, '{"name": "Acme Status"}')]
    text = check_statuspage(settings=settings, secrets=secrets, client=client)
    assert text == "Status page “Acme Status” reachable with this key"
    assert [(r.method, r.path) for r in server.requests] == [("GET", "/v1/pages/pg1")]
    with pytest.raises(DeliveryFailed, match=r"^Enter the status page's page id\.$"):
        check_statuspage(settings=ChannelSettings(), secrets=secrets, client=client)


@pytest.mark.parametrize(
    ("reply", "reason", "final", "after"),
    [
        (Reply(429, "slow", {"retry-after": "7"}), "asked us to slow down (HTTP 429).", False, 7.0),
        (Reply(503, "busy  \n now"), "failed: HTTP 503 busy now", False, None),
        (Reply(408, ""), "failed: HTTP 408 HTTP 408", False, None),
        (Reply(404, "no such hook"), "refused the message: HTTP 404 no such hook", True, None),
    ],
)
def test_answers_other_than_2xx_are_classified(
    server, secrets, client, reply: Reply, reason: str, final: bool, after: float | None
) -> None:
    secrets.set(SLACK_URL, server.url + "/hook")
    server.replies = [reply]
    with pytest.raises(DeliveryFailed) as caught:
        send_slack(_message(Channel.SLACK), secrets=secrets, client=client)
    assert str(caught.value) == f"127.0.0.1 {reason}"
    assert (caught.value.final, caught.value.retry_after) == (final, after)


def test_a_slow_or_absent_server_is_worth_another_try(server, secrets) -> None:
    secrets.set(SLACK_URL, server.url + "/hook")
    server.replies = [Reply(200, "late", delay=5)]
    with httpx.Client(timeout=0.2) as quick, pytest.raises(DeliveryFailed) as slow:
        send_slack(_message(Channel.SLACK), secrets=secrets, client=quick)
    assert str(slow.value) == "127.0.0.1 did not answer in time." and not slow.value.final
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    secrets.set(SLACK_URL, f"http://127.0.0.1:{port}/hook")
    with httpx.Client(timeout=2) as client, pytest.raises(DeliveryFailed) as gone:
        send_slack(_message(Channel.SLACK), secrets=secrets, client=client)
    assert str(gone.value).startswith("Cannot reach 127.0.0.1 (") and not gone.value.final


def test_retry_after_reads_seconds_or_a_date_against_the_server_s_clock() -> None:
    date = {"date": "Sat, 28 Nov 2026 10:00:00 GMT"}
    response = httpx.Response(429, headers=date)
    assert retry_after(None) is None and retry_after("") is None
    assert retry_after(" 12 ") == 12.0
    assert retry_after("Sat, 28 Nov 2026 10:01:30 GMT", response) == 90.0
    assert retry_after("Sat, 28 Nov 2026 09:59:00 GMT", response) == 0.0  # already past
    assert retry_after("soon", response) is None


def test_retry_after_survives_a_server_s_odd_dates() -> None:
    """A date without a zone (``-0000``) is UTC; an unreadable Date header falls back to this
    computer's clock instead of failing the delivery with a traceback."""
    zoneless = httpx.Response(429, headers={"date": "Sat, 28 Nov 2026 10:00:00 -0000"})
    assert retry_after("Sat, 28 Nov 2026 10:00:30 GMT", zoneless) == 30.0
    assert retry_after("Sat, 28 Nov 2026 10:00:30 -0000", zoneless) == 30.0
    garbled = httpx.Response(429, headers={"date": "yesterday-ish"})
    # real clock: with no readable server date the code waits against this computer's clock;
    # a date long past is "retry now" whatever today is.
    assert retry_after("Sat, 28 Nov 2020 10:00:30 GMT", garbled) == 0.0


def test_a_missing_secret_is_final_and_names_what_to_add(secrets, client) -> None:
    with pytest.raises(DeliveryFailed) as caught:
        send_teams(_message(Channel.TEAMS), secrets=secrets, client=client)
    assert str(caught.value) == (
        "Microsoft Teams is not set up: add its Workflows webhook URL in Comms → Channels…"
    )
    assert caught.value.final


@pytest.mark.parametrize(
    "url", ["https://contoso.webhook.office.com/webhookb2/x/IncomingWebhook/y"]
)
def test_legacy_teams_connector_urls_are_warned(url: str) -> None:
    assert "retired" in teams_url_warning(url)
    assert teams_url_warning("https://prod-01.westus.logic.azure.com/workflows/x") == ""
