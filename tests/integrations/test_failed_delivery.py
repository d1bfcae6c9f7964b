"""A send that fails is on the record: once on the timeline, with the reason, and on the
deadline it was meant to meet, which it does not meet (#18 item 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.channels import Channel
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.integrations.channel_ready import channel_readiness, setup_problem
from commander.integrations.channel_settings import (
    PAGERDUTY_KEY,
    SLACK_URL,
    STATUSPAGE_KEY,
    TEAMS_URL,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    ChannelSettings,
)
from commander.integrations.senders import DeliveryFailed, Outgoing, deliver
from commander.services.delivery import DeliveryEngine


def _engine(outbox, secrets, **settings) -> DeliveryEngine:  # type: ignore[no-untyped-def]
    values = ChannelSettings(**settings)
    return DeliveryEngine(outbox, settings=lambda: values, secrets=secrets)


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


_EMPTY = ChannelSettings()


@pytest.mark.parametrize(
    "channel",
    [c for c in Channel if c.deliverable],
)
def test_the_composer_and_the_sender_agree_on_what_is_not_set_up(
    channel: Channel, secrets, clock
) -> None:
    """Every channel, with nothing configured: the same sentence before Send and after."""
    expected = setup_problem(channel, settings=_EMPTY, secrets=secrets)
    assert expected is not None and "not set up" in expected
    import httpx

    message = Outgoing(
        id="msg_1",
        incident_id="inc",
        channel=channel,
        subject="S",
        body="B",
        payload={"subject": "S", "body": "B", "event_action": "trigger"},
    )
    with httpx.Client() as client, pytest.raises(DeliveryFailed) as caught:
        deliver(message, settings=_EMPTY, secrets=secrets, client=client, now=clock.now())
    assert caught.value.reason == expected and caught.value.final


def test_readiness_lists_what_is_set_up(secrets) -> None:
    for name in (SLACK_URL, TEAMS_URL, WEBHOOK_URL, WEBHOOK_SECRET, PAGERDUTY_KEY):
        secrets.set(name, "whsec_c2VjcmV0" if name == WEBHOOK_SECRET else "https://x.example")
    secrets.set(STATUSPAGE_KEY, "key")
    settings = ChannelSettings(statuspage_page_id="page")
    ready = channel_readiness(settings=settings, secrets=secrets)
    assert {c for c, problem in ready.items() if problem is None} == {
        Channel.SLACK,
        Channel.TEAMS,
        Channel.WEBHOOK,
        Channel.STATUSPAGE,
        Channel.PAGERDUTY,
    }
    assert "SMTP host" in (ready[Channel.EMAIL] or "")
    assert "read aloud" in (ready[Channel.PHONE] or "")
