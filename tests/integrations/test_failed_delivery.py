"""A send that fails is on the record: once on the timeline, with the reason, and on the
deadline it was meant to meet, which it does not meet (#18 item 7)."""

from __future__ import annotations

from datetime import timedelta

from commander.core.channels import Channel
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.integrations.channel_settings import (
    SLACK_URL,
    ChannelSettings,
)
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
