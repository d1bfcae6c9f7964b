"""Roles follow the loaded procedure: its roles, and who is needed as the incident changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from commander.core.clock import FakeClock
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


def _needed(workspace: Workspace, incident_id: str) -> list[str]:
    return [
        line.role.key
        for line in RosterService(workspace).roster(incident_id).lines
        if line.required
    ]


def test_the_files_roles_are_the_rosters_and_conditions_decide_who_is_needed(
    workspace: Workspace, clock: FakeClock
) -> None:
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), EXAMPLE.name)
    roster = RosterService(workspace)
    assert [r.key for r in roster.roles()] == [
        "incident_commander",
        "technical_lead",
        "security_lead",
    ]
    assert roster.role("sl").name == "Security Lead"  # the file's alias

    incidents = IncidentService(workspace)
    incident = incidents.declare(title="Odd logins", severity="SEV3").incident
    assert _needed(workspace, incident.id) == ["incident_commander"]

    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    clock.advance(timedelta(minutes=5))
    fields.set(incident.id, "type", "security")
    entry = incidents.timeline(incident.id)[-1]
    assert entry.event == "Type set to Security"
    assert "Role needed: Security Lead, because type security, status active" in entry.action
    assert _needed(workspace, incident.id) == ["incident_commander", "security_lead"]

    clock.advance(timedelta(minutes=5))
    incidents.set_field(incident.id, "severity", "SEV1")
    raised = incidents.timeline(incident.id)[-1]
    assert "Role needed: Technical Lead, because severity SEV1/SEV2, status active" in raised.action
    assert _needed(workspace, incident.id) == [
        "incident_commander",
        "technical_lead",
        "security_lead",
    ]

    clock.advance(timedelta(minutes=5))
    fields.set(incident.id, "type", "service")
    back = incidents.timeline(incident.id)[-1]
    assert "Role no longer needed: Security Lead" in back.action
    assert "security_lead" not in _needed(workspace, incident.id)


def test_a_role_held_under_the_old_procedure_stays_on_the_roster_with_its_history(
    workspace: Workspace,
) -> None:
    incidents = IncidentService(workspace)
    incident = incidents.declare(title="API down", severity="P1").incident
    roster = RosterService(workspace)
    roster.assign(incident.id, "communications_lead", "carol")
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), EXAMPLE.name)
    lines = {line.role.key: line for line in roster.roster(incident.id).lines}
    assert lines["communications_lead"].assigned  # not in the new file, still held and shown
    assert [a.role for a in roster.history(incident.id)] == ["communications_lead"]
