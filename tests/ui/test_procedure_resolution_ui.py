"""In the window, resolving while the procedure still needs a field is refused in the dialog,
with the one sentence naming it; nothing is written."""

from __future__ import annotations

from pathlib import Path

from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace
from commander.ui.main_window import MainWindow

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


def test_the_status_dialog_names_the_missing_field(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:  # type: ignore[no-untyped-def]
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), "sev-security.toml")
    incident = IncidentService(workspace).declare(title="Leaked token", severity="P1").incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(incident.id, "type", "security")
    fields.set(incident.id, "personal_data_breach", "no")
    window.refresh()
    window.select_incident(incident.id)
    dialog = window.incident_commands.change_field("status")
    assert dialog is not None
    dialog.set_value("resolved")
    dialog._on_ok()
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "The incident cannot be resolved yet: the procedure requires Regulator reference "
        "(regulator_reference) to be filled in first."
    )
    assert IncidentService(workspace).get(incident.id).status.is_active
    fields.set(incident.id, "regulator_reference", "REF-7")
    dialog._on_ok()
    assert not IncidentService(workspace).get(incident.id).status.is_active
