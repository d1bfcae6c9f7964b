"""Queueing composed messages in the outbox, and what a delivery records."""

from __future__ import annotations

from datetime import UTC

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.errors import ValidationError
from commander.core.templates import Audience
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.outbox import OutboxService
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
    with pytest.raises(ValidationError, match="Paging is for P0"):
        outbox.queue(incident.id, "initial", channel=Channel.PAGERDUTY)
    assert outbox.outbox() == []


def test_a_partner_notice_meets_the_partner_deadline_once(outbox, incident, incidents) -> None:
    incidents.set_field(incident.id, "partners_affected", "yes")
    for _ in range(2):
        item = outbox.queue(incident.id, "partner", channel=Channel.EMAIL)
        outbox.claim_due(outbox.workspace.clock.now())
        outbox.record_delivery(item.id, answer="ok", accepted_only=False, remote_id=None)
    events = [e.event for e in incidents.timeline(incident.id)]
    assert sum("Deadline met: " in e and "artner" in e for e in events) == 1
    assert sum(e.startswith("Partner update sent via Email") for e in events) == 2
