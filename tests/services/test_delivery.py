"""Delivery (services/delivery.py) against real servers on 127.0.0.1: the exact bytes each
channel receives, and how the outbox behaves when the server is slow, busy, broken or gone; a
send that fails is on the record: once on the timeline, with the reason, and on the deadline
it was meant to meet, which it does not meet (#18 item 7)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSecrets,
    ChannelSettings,
)
from commander.integrations.secrets import MemoryKeyring
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.delivery import DeliveryEngine, backoff
from commander.services.incidents import IncidentService
from commander.services.outbox import OutboxService
from commander.services.outbox_lease import Lease, lease_duration, new_owner
from commander.services.workspace import Workspace
from tests.integrations.conftest import RecordingServer, Reply


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    srv = RecordingServer()
    yield srv
    srv.close()


@pytest.fixture
def secrets(memory_keyring: MemoryKeyring, data_dir: Path) -> ChannelSecrets:
    """The workspace's channel secrets (keyed by its id) in the in-memory keyring."""
    return ChannelSecrets(data_dir)


@pytest.fixture
def deadlines(workspace: Workspace) -> DeadlineService:
    return DeadlineService(workspace, hours=BusinessHours(zone=UTC))


@pytest.fixture
def comms(workspace: Workspace, deadlines: DeadlineService) -> CommsService:
    return CommsService(workspace, deadlines, component_ids=("cmp1",))


@pytest.fixture
def outbox(workspace: Workspace, comms: CommsService, deadlines: DeadlineService) -> OutboxService:
    return OutboxService(workspace, comms, deadlines)


@pytest.fixture
def incident(incidents: IncidentService):  # type: ignore[no-untyped-def]
    return incidents.declare(
        title="Customer API down", severity="P1", services=["api-gateway"], impact="20% errors"
    ).incident


def _engine(outbox, secrets, **settings) -> DeliveryEngine:  # type: ignore[no-untyped-def]
    values = ChannelSettings(**settings)
    return DeliveryEngine(outbox, settings=lambda: values, secrets=secrets)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_slack_receives_block_kit_and_the_timeline_and_timer_record_it(
    outbox, secrets, server, incident, incidents, deadlines, clock
) -> None:
    secrets.set(SLACK_URL, server.url + "/services/T/B/X")
    clock.advance(timedelta(minutes=20))
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK, typed={"eta": "11:30"})
    report = _engine(outbox, secrets).run_once()
    assert report.sent == [item.id]
    (request,) = server.requests
    assert request.method == "POST" and request.path == "/services/T/B/X"
    body = request.json()
    assert body["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "INCIDENT UPDATE - P1 - Investigating"},
    }
    assert body["blocks"][1] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "INCIDENT UPDATE - P1 - Customer API down"},
    }
    assert "ETA: 11:30" in body["blocks"][2]["text"]["text"]
    assert body["blocks"][-1]["type"] == "context"
    assert body["text"].startswith("INCIDENT UPDATE - P1 - Investigating")
    done = outbox.outbox_item(item.id)
    assert done.state == "sent" and done.answer == "Slack: ok" and done.finished_at == clock.now()
    events = [e.event for e in incidents.timeline(incident.id)]
    assert "Internal update sent via Slack: INCIDENT UPDATE - P1 - Investigating" in events
    # The 30-minute update timer restarted at the delivery.
    assert deadlines.next_update(incident.id) == clock.now() + timedelta(minutes=30)


def test_teams_gets_an_adaptive_card_in_a_message_wrapper_and_says_accepted(
    outbox, secrets, server, incident, incidents
) -> None:
    secrets.set(TEAMS_URL, server.url + "/workflows/abc/triggers/manual/paths/invoke")
    server.replies.append(Reply(202, ""))
    item = outbox.queue(incident.id, "initial", channel=Channel.TEAMS)
    _engine(outbox, secrets).run_once()
    body = server.requests[0].json()
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"][0]["text"] == "INCIDENT ALERT - P1 - api-gateway"
    assert card["body"][1]["text"] == "INCIDENT ALERT - P1"
    done = outbox.outbox_item(item.id)
    assert done.answer == "accepted by Teams (HTTP 202)"
    assert any("accepted by Microsoft Teams" in e.event for e in incidents.timeline(incident.id))


def test_statuspage_posts_an_incident_then_patches_it(
    comms, outbox, secrets, server, incident, incidents, deadlines
) -> None:
    secrets.set(STATUSPAGE_KEY, "sp-key-123")
    server.replies.append(Reply(201, json.dumps({"id": "sp1", "status": "investigating"})))
    engine = _engine(outbox, secrets, statuspage_page_id="pg42", statuspage_api_base=server.url)
    outbox.queue(incident.id, "status-page", channel=Channel.STATUSPAGE)
    assert engine.run_once().sent
    first = server.requests[0]
    assert first.method == "POST" and first.path == "/v1/pages/pg42/incidents"
    assert first.headers["authorization"] == "OAuth sp-key-123"
    assert first.json() == {
        "incident": {
            "name": "Api-gateway: Investigating",
            "status": "investigating",
            "body": comms.compose(
                incident.id, "status-page", channel=Channel.STATUSPAGE
            ).rendered.body,
            "impact_override": "major",
            "deliver_notifications": True,
            "component_ids": ["cmp1"],
            "components": {"cmp1": "major_outage"},
        }
    }
    # Customer comms deadline met by the delivery.
    assert DeadlineKind.CUSTOMER_COMMS in deadlines.facts(incident.id).met
    incidents.set_field(incident.id, "status", "resolved")
    server.replies.append(Reply(200, json.dumps({"id": "sp1", "status": "resolved"})))
    outbox.queue(incident.id, "status-page", channel=Channel.STATUSPAGE)
    engine.run_once()
    second = server.requests[1]
    assert second.method == "PATCH" and second.path == "/v1/pages/pg42/incidents/sp1"
    assert second.json()["incident"]["status"] == "resolved"
    assert second.json()["incident"]["components"] == {"cmp1": "operational"}


def test_generic_webhook_is_signed_per_standard_webhooks(
    outbox, secrets, server, incident, clock
) -> None:
    key = b"0123456789abcdef0123456789abcdef"
    secrets.set(WEBHOOK_URL, server.url + "/hook")
    secrets.set(WEBHOOK_SECRET, "whsec_" + base64.b64encode(key).decode())
    item = outbox.queue(incident.id, "partner", channel=Channel.WEBHOOK, audience=None)
    _engine(outbox, secrets).run_once()
    request = server.requests[0]
    assert request.headers["webhook-id"] == item.id
    timestamp = request.headers["webhook-timestamp"]
    assert timestamp == str(int(clock.now().timestamp()))
    signed = f"{item.id}.{timestamp}.".encode() + request.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"
    data = request.json()["data"]
    assert data["incident_id"] == incident.id and data["audience"] == "partner"


def test_pagerduty_triggers_with_the_incident_as_dedup_key_then_resolves(
    outbox, secrets, server, incidents
) -> None:
    p0 = incidents.declare(title="Everything down", severity="P0", services=["api"]).incident
    secrets.set(PAGERDUTY_KEY, "R0UTING")
    engine = _engine(outbox, secrets, pagerduty_events_url=server.url + "/v2/enqueue")
    server.replies.append(
        Reply(202, json.dumps({"status": "success", "message": "Event processed"}))
    )
    outbox.queue(p0.id, "initial", channel=Channel.PAGERDUTY)
    engine.run_once()
    trigger = server.requests[0].json()
    assert trigger["routing_key"] == "R0UTING"
    assert trigger["event_action"] == "trigger" and trigger["dedup_key"] == p0.id
    assert trigger["payload"]["severity"] == "critical" and trigger["payload"]["source"]
    incidents.set_field(p0.id, "status", "resolved")
    outbox.queue(p0.id, "resolved", channel=Channel.PAGERDUTY)
    engine.run_once()
    assert server.requests[1].json() == {
        "routing_key": "R0UTING",
        "event_action": "resolve",
        "dedup_key": p0.id,
    }


def test_resolving_the_incident_resolves_the_page_by_itself_once(
    outbox, secrets, server, incidents
) -> None:
    p0 = incidents.declare(title="Everything down", severity="P0", services=["api"]).incident
    secrets.set(PAGERDUTY_KEY, "R0UTING")
    engine = _engine(outbox, secrets, pagerduty_events_url=server.url + "/v2/enqueue")
    for _ in range(2):
        server.replies.append(Reply(202, json.dumps({"status": "success"})))
    outbox.queue(p0.id, "initial", channel=Channel.PAGERDUTY)
    engine.run_once()
    engine.run_once()  # still active: nothing to resolve
    assert len(server.requests) == 1
    incidents.set_field(p0.id, "status", "resolved")
    engine.run_once()
    engine.run_once()
    assert [r.json()["event_action"] for r in server.requests] == ["trigger", "resolve"]
    assert server.requests[1].json()["dedup_key"] == p0.id


def test_429_waits_exactly_for_retry_after(outbox, secrets, server, incident, clock) -> None:
    secrets.set(SLACK_URL, server.url + "/s")
    server.replies.append(Reply(429, "rate_limited", {"Retry-After": "7"}))
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK)
    engine = _engine(outbox, secrets)
    assert engine.run_once().retrying == [item.id]
    waiting = outbox.outbox_item(item.id)
    assert waiting.state == "queued" and "HTTP 429" in waiting.error
    assert waiting.next_attempt_at == clock.now() + timedelta(seconds=7)
    clock.advance(6)
    assert engine.run_once().attempted == 0
    clock.advance(1)
    assert engine.run_once().sent == [item.id]
    assert len(server.requests) == 2


def test_500_then_success_backs_off(outbox, secrets, server, incident, clock) -> None:
    secrets.set(SLACK_URL, server.url + "/s")
    server.replies += [Reply(500, "boom"), Reply(503, "busy")]
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK)
    engine = _engine(outbox, secrets)
    engine.run_once()
    assert outbox.outbox_item(item.id).next_attempt_at == clock.now() + backoff(1)
    clock.advance(backoff(1))
    engine.run_once()
    assert outbox.outbox_item(item.id).next_attempt_at == clock.now() + backoff(2)
    assert backoff(2) == 2 * backoff(1)
    clock.advance(backoff(2))
    assert engine.run_once().sent == [item.id]
    assert outbox.outbox_item(item.id).attempts == 3


def test_a_4xx_is_final_and_shown_and_retry_sends_it(outbox, secrets, server, incident) -> None:
    secrets.set(SLACK_URL, server.url + "/s")
    server.replies.append(Reply(404, "no_service"))
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK)
    engine = _engine(outbox, secrets)
    assert engine.run_once().failed == [item.id]
    failed = outbox.outbox_item(item.id)
    assert failed.state == "failed"
    assert failed.error == "127.0.0.1 refused the message: HTTP 404 no_service"
    outbox.retry(item.id)
    assert engine.run_once().sent == [item.id]


def test_a_timeout_keeps_the_message_queued(outbox, secrets, server, incident) -> None:
    secrets.set(SLACK_URL, server.url + "/slow")
    server.replies.append(Reply(200, "ok", delay=5))
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK)
    report = _engine(outbox, secrets, timeout_seconds=0.3).run_once()
    assert report.retrying == [item.id]
    waiting = outbox.outbox_item(item.id)
    assert waiting.state == "queued" and "did not answer in time" in waiting.error


def test_server_gone_nothing_lost_delivered_later(outbox, secrets, server, incident, clock) -> None:
    secrets.set(SLACK_URL, f"http://127.0.0.1:{_free_port()}/s")
    items = [outbox.queue(incident.id, "update", channel=Channel.SLACK) for _ in range(3)]
    engine = _engine(outbox, secrets)
    for _ in range(3):
        report = engine.run_once()
        assert report.sent == [] and len(report.retrying) == 3
        clock.advance(timedelta(minutes=10))
    assert {outbox.outbox_item(i.id).state for i in items} == {"queued"}
    assert "Cannot reach 127.0.0.1" in outbox.outbox_item(items[0].id).error
    secrets.set(SLACK_URL, server.url + "/s")  # back online
    assert sorted(engine.run_once().sent) == sorted(i.id for i in items)
    assert len(server.requests) == 3


def test_a_dead_senders_message_is_retried_only_after_its_lease_expires(
    outbox, secrets, server, incident, incidents, clock
) -> None:
    secrets.set(SLACK_URL, server.url + "/s")
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK)
    dead = Lease(new_owner(), lease_duration(ChannelSettings().timeout_seconds))
    assert outbox.claim(clock.now(), dead) is not None  # the process died right after claiming
    engine = _engine(outbox, secrets)
    assert engine.run_once().attempted == 0
    assert engine.next_due() == clock.now() + dead.duration
    clock.advance(dead.duration - timedelta(seconds=1))
    assert engine.run_once().attempted == 0 and server.requests == []
    clock.advance(timedelta(seconds=1))
    assert engine.run_once().sent == [item.id]
    assert len(server.requests) == 1 and outbox.outbox_item(item.id).attempts == 2
    events = [e.event for e in incidents.timeline(incident.id)]
    assert sum(e.startswith("Internal update sent via Slack") for e in events) == 1


def test_an_unconfigured_channel_fails_with_what_to_do(outbox, secrets, incident) -> None:
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK)
    _engine(outbox, secrets).run_once()
    failed = outbox.outbox_item(item.id)
    assert failed.state == "failed"
    assert "Slack is not set up" in failed.error and "Channels" in failed.error


def test_the_settings_test_button_sends_a_test_message(server) -> None:
    from datetime import UTC, datetime

    from commander.services.delivery import send_test_message

    form = {SLACK_URL: server.url + "/t", STATUSPAGE_KEY: "k"}
    answer = send_test_message(
        Channel.SLACK,
        settings=ChannelSettings(),
        secrets=form,
        now=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
    )
    assert answer == "Slack: ok"
    assert server.requests[0].json()["blocks"][0]["text"]["text"] == "Commander test message"
    server.replies.append(Reply(200, json.dumps({"id": "pg", "name": "Acme status"})))
    checked = send_test_message(
        Channel.STATUSPAGE,
        settings=ChannelSettings(statuspage_page_id="pg", statuspage_api_base=server.url),
        secrets=form,
        now=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
    )
    assert checked == "Status page “Acme status” reachable with this key"
    assert server.requests[1].method == "GET" and server.requests[1].path == "/v1/pages/pg"


# -- a failed send on the record --------------------------------------------------------------


def _update(deadlines, incident_id: str):  # type: ignore[no-untyped-def]
    return next(
        d for d in deadlines.deadlines(incident_id) if d.key is DeadlineKind.INTERNAL_UPDATE
    )


def test_a_send_to_a_channel_not_set_up_is_on_the_timeline_once_and_meets_nothing(
    outbox, secrets, server, incident, incidents, deadlines, clock
) -> None:
    clock.advance(timedelta(minutes=10))
    due_before = _update(deadlines, incident.id).due
    item = outbox.queue(incident.id, "update", channel=Channel.SLACK, typed={"eta": "11:30"})
    report = _engine(outbox, secrets).run_once()
    assert report.failed == [item.id] and report.changes
    failed = [e for e in incidents.timeline(incident.id) if "failed" in e.event]
    assert len(failed) == 1
    assert failed[0].event == (
        "Internal update via Slack failed: INCIDENT UPDATE - P1 - Investigating"
    )
    assert failed[0].action == (
        "Slack is not set up: add its incoming webhook URL in Comms → Channels…"
    )
    assert failed[0].kind == "system"
    update = _update(deadlines, incident.id)
    assert update.state is not DeadlineState.MET and update.due == due_before  # not "sent"
    assert update.send_failure is not None and "not set up" in update.send_failure.reason
    assert update.to_json()["send_failed"]["reason"].startswith("Slack is not set up")
    assert deadlines.facts(incident.id).internal_updates == []

    # Retried and failing for the same reason: the row changes, the record does not.
    outbox.retry(item.id)
    assert _engine(outbox, secrets).run_once().failed == [item.id]
    assert sum("failed" in e.event for e in incidents.timeline(incident.id)) == 1

    # Set up and sent: the deadline is met by the delivery and forgets the failure.
    clock.advance(timedelta(minutes=1))
    secrets.set(SLACK_URL, server.url + "/services/T/B/X")
    outbox.retry(item.id)
    assert _engine(outbox, secrets).run_once().sent == [item.id]
    update = _update(deadlines, incident.id)
    assert update.send_failure is None
    assert update.due == clock.now() + timedelta(minutes=30)


def test_a_failed_customer_notice_leaves_customer_comms_open(
    outbox, secrets, incident, incidents, deadlines
) -> None:
    item = outbox.queue(incident.id, "status-page", channel=Channel.STATUSPAGE)
    _engine(outbox, secrets).run_once()
    assert outbox.outbox_item(item.id).state == "failed"
    customer = next(
        d for d in deadlines.deadlines(incident.id) if d.key is DeadlineKind.CUSTOMER_COMMS
    )
    assert customer.state is not DeadlineState.MET
    assert customer.send_failure is not None
    assert customer.send_failure.reason.startswith("The status page is not set up")
    events = [e.event for e in incidents.timeline(incident.id)]
    assert "Customer update via Status page failed: " in " ".join(events)
