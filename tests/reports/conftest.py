"""A known incident for the report tests: every kind of record a report shows, at known times.

Declared 10:00 UTC, acknowledged 10:10, mitigated (monitoring) 10:40, resolved 11:30; another
incident is written in between so the export's hash chains have gaps to bridge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.clock import FakeClock
from commander.core.people import Person
from commander.core.templates import Audience
from commander.services.action_items import ActionItemService
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.report import ReportService
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@dataclass
class Told:
    incident_id: str
    other_id: str
    struck_entry: str
    amended_entry: str


def deadlines_for(ws: Workspace) -> DeadlineService:
    return DeadlineService(ws, hours=BusinessHours(zone=ws.zone))


def reports_for(ws: Workspace) -> ReportService:
    return ReportService(ws, deadlines_for(ws))


def tell(ws: Workspace, clock: FakeClock) -> Told:
    """Write the story through the services, as a user would."""
    clock.set(T0 - timedelta(minutes=5))
    incidents = IncidentService(ws)
    roster = RosterService(ws)
    for handle, name, team in (
        ("alice", "Alice Smith", "SRE"),
        ("bob", "Bob Jones", "Payments"),
        ("carol", "Carol Diaz", "Support"),
    ):
        PeopleService(ws).save_person(Person(handle, name, team))
    roster.add_role("Scribe", "Keeps the timeline")
    other = incidents.declare(title="Unrelated disk alert", severity="P3", services=["batch"])
    clock.set(T0)
    incident = incidents.declare(
        title="Checkout errors | card payments",
        severity="P2",
        services=["checkout", "payments"],
        impact="Some card payments fail",
    ).incident
    iid = incident.id

    def at(minutes: float) -> None:
        clock.set(T0 + timedelta(minutes=minutes))

    at(2)
    roster.assign(iid, "IC", "alice")
    roster.assign(iid, "Technical Lead", "bob")
    incidents.log(other.incident.id, "Disk at 91% on batch-3")
    at(5)
    roster.assign(iid, "Scribe", "carol")
    ImpactService(ws).add(iid, "error_rate", 12, T0 + timedelta(minutes=5))
    at(10)
    deadlines_for(ws).mark_met(iid, "response", how="Paged and acknowledged")
    at(12)
    incidents.set_field(iid, "severity", "P1")
    at(15)
    first, _ = incidents.log(iid, "Error spike on <checkout>", action="Rollback", owner="bob")
    wrong, _ = incidents.log(iid, "DNS suspected", action="Flushed caches")
    incidents.log(other.incident.id, "Disk cleaned")
    at(20)
    ImpactService(ws).add(iid, "error_rate", 30, T0 + timedelta(minutes=20))
    ImpactService(ws).add(iid, "customers_pct", 18, T0 + timedelta(minutes=20))
    at(22)
    incidents.strike(wrong.id, "Not DNS after all")
    incidents.amend(first.id, event="Error spike on checkout (5xx)")
    at(30)
    roster.assign(iid, "IC", "bob", "Alice off shift")
    at(40)
    incidents.set_field(iid, "status", "monitoring")
    CommsService(ws, deadlines_for(ws)).save_draft(
        iid,
        template_key="resolved",
        audience=Audience.INTERNAL,
        channel=Channel.SLACK,
        typed={"root_cause": "Expired key"},
    )
    at(90)
    incidents.set_field(iid, "status", "resolved")
    at(100)
    review = ReviewService(ws, hours=BusinessHours(zone=ws.zone))
    review.set_field(iid, "primary_cause", "Expired signing key\nrotated by hand")
    review.set_field(iid, "what_we_learned", "Alert on key expiry")
    items = ActionItemService(ws)
    items.add_action_item(
        iid, "Automate key rotation", owner="bob", term="short", due=date(2026, 12, 10)
    )
    items.add_action_item(
        iid, "Expiry dashboard", owner="carol", term="medium", due=date(2027, 2, 1)
    )
    return Told(iid, other.incident.id, wrong.id, first.id)


def mark_key_events(workspace: Workspace, told: Told, clock: FakeClock) -> str:
    """Mark a quick-logged decision, the amended entry and the struck one as key events."""
    incidents = IncidentService(workspace)
    clock.set(T0 + timedelta(minutes=101))
    decision, _ = incidents.log_quick(told.incident_id, "10:25 d: @bob roll back checkout")
    incidents.mark_key(decision.id)
    incidents.mark_key(told.amended_entry)
    incidents.mark_key(told.struck_entry)  # struck: stays out of the key events
    return decision.id


@pytest.fixture
def told(workspace: Workspace, clock: FakeClock) -> Told:
    return tell(workspace, clock)
