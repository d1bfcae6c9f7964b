"""The handoff briefing: who hands over to whom, the running table (``briefing_model``, the
last entries and a count of the rest), messages sent per audience, and no template engine
imported until it renders."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from commander.core.briefing import MAX_ENTRIES, briefing_model
from commander.core.business_hours import BusinessHours
from commander.core.people import Person
from commander.services.briefing import BriefingService
from commander.services.deadlines import DeadlineService
from commander.services.people import PeopleService
from commander.services.roster import RosterService


@pytest.fixture
def roster(workspace) -> RosterService:
    people = PeopleService(workspace)
    people.save_person(Person("alice", "Alice Smith", roles=("incident_commander",)))
    people.save_person(Person("bob", "Bob Jones", phone="+1 555 0100"))
    people.save_person(Person("bea", "Beatrice Low"))
    return RosterService(workspace)


def _briefing(workspace) -> BriefingService:  # type: ignore[no-untyped-def]
    deadlines = DeadlineService(workspace, hours=BusinessHours())
    return BriefingService(workspace, RosterService(workspace), deadlines)


def test_the_running_table_keeps_the_last_entries_and_counts_the_rest(
    incidents, workspace, clock
) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="API down", severity="P1").incident.id
    for n in range(MAX_ENTRIES + 5):
        clock.advance(timedelta(minutes=1))
        incidents.log(incident_id, f"step {n}")
    wrong, _ = incidents.log_quick(incident_id, "o: wrong incident")
    incidents.strike(wrong.id, "not ours")
    service = _briefing(workspace)
    model = briefing_model(service.facts(incident_id))
    assert len(model.entries) == MAX_ENTRIES
    assert model.entries[-1].event == f"step {MAX_ENTRIES + 4}"  # the newest kept
    omitted = model.entries_omitted
    assert omitted > 0 and all(line.event != "wrong incident" for line in model.entries)
    text = service.render(incident_id)
    assert f"*{omitted} earlier entries omitted; see the full timeline.*" in text
    assert "| step 4 |" not in text and f"| step {MAX_ENTRIES + 4} |" in text


def test_briefing_service_imports_no_template_engine_until_it_renders() -> None:
    """The window builds the service at start; jinja2 is paid for on the first briefing."""
    probe = "import sys, commander.services.briefing; print('jinja2' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_briefing_for_the_incoming_ic(roster, incidents, workspace, clock) -> None:
    deadlines = DeadlineService(workspace, hours=BusinessHours())
    briefing = BriefingService(workspace, roster, deadlines)
    incident = incidents.declare(title="Cert expiry", severity="P1", services="api").incident
    roster.assign(incident.id, "IC", "alice")
    incidents.log(incident.id, "Rolled back api-gw", action="Rollback", owner="alice")
    deadlines.update_sent(incident.id)
    clock.advance(timedelta(minutes=45))
    roster.assign(incident.id, "IC", "bob", "Cert renewal in progress")
    text, changes = briefing.generate(incident.id)
    assert changes
    assert "**Incoming IC:** Bob Jones (@bob)" in text
    assert "**Outgoing IC:** Alice Smith (@alice)" in text
    assert "Cert renewal in progress" in text
    assert "Rolled back api-gw" in text
    assert "**Overdue:**" in text  # the P1 acknowledgement was due after 30 minutes
    assert "| Technical Lead | **⚠ unassigned (required)** |" in text
    assert "Internal updates sent:** 1" in text
    assert "Messages sent from the composer:** none yet" in text
    events = [e.event for e in incidents.timeline(incident.id)]
    assert any(e.startswith("Handoff briefing generated for the incoming IC (Bob") for e in events)
    again = briefing.render(incident.id)
    assert "Handoff briefing generated" not in again  # its own log line is not "work done"


def test_briefing_lists_messages_sent_per_audience(roster, incidents, workspace, clock) -> None:
    from commander.core.channels import Channel
    from commander.services.comms import CommsService
    from commander.services.outbox import OutboxService

    deadlines = DeadlineService(workspace, hours=BusinessHours())
    outbox = OutboxService(workspace, CommsService(workspace, deadlines), deadlines)
    incident = incidents.declare(title="Cert expiry", severity="P1", services="api").incident
    clock.advance(timedelta(minutes=20))
    item = outbox.queue(incident.id, "status-page", channel=Channel.EMAIL)
    outbox.record_delivery(item.id, answer="250 OK", accepted_only=False, remote_id=None)
    text = BriefingService(workspace, roster, deadlines).render(incident.id)
    [line] = [x for x in text.splitlines() if x.startswith("- **Sent to")]
    assert line.startswith("- **Sent to customer:** 1 (")
    assert "via email" in line and "last: " in line
