"""Checklists follow the loaded procedure: its lists, and which apply as the incident changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from commander.core.clock import FakeClock
from commander.services.checklists import ChecklistService
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


def _steps(workspace: Workspace, incident_id: str) -> dict[str, bool]:
    """Each shown step's key, and whether it applies now."""
    progress = ChecklistService(workspace).progress(incident_id)
    return {s.step.key: s.applies for c in progress.checklists for s in c.steps}


def test_a_type_change_adds_and_retires_the_files_checklist_and_keeps_what_was_ticked(
    workspace: Workspace, clock: FakeClock
) -> None:
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), EXAMPLE.name)
    incidents = IncidentService(workspace)
    incident = incidents.declare(title="Odd logins", severity="SEV3").incident
    shown = _steps(workspace, incident.id)
    assert "first.ack" in shown and "sec.preserve" not in shown  # the file's, not the seed's
    assert "initial.severity" not in shown

    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    clock.advance(timedelta(minutes=5))
    fields.set(incident.id, "type", "security")
    entry = incidents.timeline(incident.id)[-1]
    assert "Checklist added: Security containment (2 steps), because type security" in entry.action
    assert _steps(workspace, incident.id)["sec.rotate"] is True

    checklists = ChecklistService(workspace)
    checklists.tick(incident.id, "sec.preserve")
    clock.advance(timedelta(minutes=5))
    fields.set(incident.id, "type", "service")
    back = incidents.timeline(incident.id)[-1]
    assert "Checklist retired: Security containment (its condition no longer holds)" in back.action
    shown = _steps(workspace, incident.id)
    assert "sec.rotate" not in shown  # never ticked: gone with its condition
    assert shown["sec.preserve"] is False  # ticked: kept, marked, its tick intact
    state = checklists.progress(incident.id).state("sec.preserve")
    assert state is not None and state.done and state.author == "alice"


def test_under_the_built_in_procedure_every_checklist_is_there_as_before(
    workspace: Workspace,
) -> None:
    incident = IncidentService(workspace).declare(title="API down", severity="P1").incident
    shown = _steps(workspace, incident.id)
    assert "initial.severity" in shown and all(shown.values())
