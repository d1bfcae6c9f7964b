"""Queueing composed messages in the outbox, and what a delivery records."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.errors import ValidationError
from commander.core.templates import Audience
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.outbox import OutboxService
from commander.services.outbox_lease import Lease
from commander.services.workspace import Workspace


@pytest.fixture
def comms(workspace) -> CommsService:
    return CommsService(workspace, DeadlineService(workspace, hours=BusinessHours(zone=UTC)))


@pytest.fixture
def outbox(workspace) -> OutboxService:
    deadlines = DeadlineService(workspace, hours=BusinessHours(zone=UTC))
    return OutboxService(workspace, CommsService(workspace, deadlines), deadlines)


@pytest.fixture
def incident(incidents):
    return incidents.declare(
        title="Customer API down", severity="P1", services=["api"], impact="Errors"
    ).incident


def test_drafts_survive_a_restart_and_sending_one_discards_it(
    comms, incident, workspace, data_dir, clock
) -> None:
    draft = comms.save_draft(
        incident.id,
        template_key="update",
        audience=Audience.INTERNAL,
        channel=Channel.TEAMS,
        typed={"eta": "noon"},
    )
    workspace.close()
    reopened = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        deadlines = DeadlineService(reopened, hours=BusinessHours(zone=UTC))
        service = CommsService(reopened, deadlines)
        (kept,) = service.drafts(incident.id)
        assert (kept.id, kept.channel, kept.fields) == (draft, Channel.TEAMS, {"eta": "noon"})
        outbox = OutboxService(reopened, service, deadlines)
        item = outbox.queue(
            incident.id, "update", channel=Channel.TEAMS, typed=kept.fields, draft_id=draft
        )
        assert item.state == "queued" and "ETA: noon" in item.body
        assert service.drafts(incident.id) == []
        assert [i.id for i in outbox.outbox(incident.id)] == [item.id]
    finally:
        reopened.close()


def test_blocked_messages_are_not_queued(outbox, incident) -> None:
    with pytest.raises(ValidationError, match="read aloud"):
        outbox.queue(incident.id, "initial", channel=Channel.PHONE)
    with pytest.raises(ValidationError, match="Paging is for the most severe incidents"):
        outbox.queue(incident.id, "initial", channel=Channel.PAGERDUTY)
    assert outbox.outbox() == []


def test_a_partner_notice_meets_the_partner_deadline_once(outbox, incident, incidents) -> None:
    incidents.set_field(incident.id, "partners_affected", "yes")
    for _ in range(2):
        item = outbox.queue(incident.id, "partner", channel=Channel.EMAIL)
        outbox.claim(outbox.workspace.clock.now(), Lease("me", timedelta(minutes=5)))
        outbox.record_delivery(item.id, answer="ok", accepted_only=False, remote_id=None)
    events = [e.event for e in incidents.timeline(incident.id)]
    assert sum("Deadline met: " in e and "artner" in e for e in events) == 1
    assert sum(e.startswith("Partner update sent via Email") for e in events) == 2


def test_a_lease_keeps_a_message_from_a_second_deliverer_until_it_runs_out(
    outbox, incident, incidents, clock
) -> None:
    item = outbox.queue(incident.id, "update", channel=Channel.EMAIL)
    first, second = Lease("first", timedelta(minutes=5)), Lease("second", timedelta(minutes=5))
    claimed = outbox.claim(clock.now(), first)
    assert claimed is not None and claimed.id == item.id
    assert claimed.state == "sending" and claimed.lease_owner == "first"
    lease = {"owner": "first", "expires_at": "2026-11-28T10:05:00.000Z"}
    assert claimed.to_json()["lease"] == lease
    assert outbox.claim(clock.now(), second) is None
    assert outbox.next_due() == clock.now() + timedelta(minutes=5)
    clock.advance(timedelta(minutes=5) - timedelta(milliseconds=1))
    assert outbox.claim(clock.now(), second) is None  # a slow sender looks like a dead one
    clock.advance(timedelta(milliseconds=1))
    taken = outbox.claim(clock.now(), second)
    assert taken is not None and taken.lease_owner == "second" and taken.attempts == 2
    # The first sender wakes up: its retry or failure no longer counts ...
    assert not outbox.record_retry(item.id, "late", clock.now(), owner="first")
    assert outbox.record_failure(item.id, "late", owner="first") is None
    assert outbox.outbox_item(item.id).lease_owner == "second"
    # ... but a delivery does, and only the first record of it reaches the timeline.
    first_record = outbox.record_delivery(item.id, answer="ok", accepted_only=False, remote_id=None)
    assert first_record.incident_ids == {incident.id}
    again = outbox.record_delivery(item.id, answer="ok", accepted_only=False, remote_id=None)
    assert not again.incident_ids
    events = [e.event for e in incidents.timeline(incident.id)]
    assert sum(e.startswith("Internal update sent via Email") for e in events) == 1
    done = outbox.outbox_item(item.id)
    assert done.state == "sent" and done.lease_owner is None and done.lease_expires_at is None
    assert not outbox.record_retry(item.id, "late", clock.now(), owner="second")
