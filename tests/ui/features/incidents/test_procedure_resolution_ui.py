"""In the window, resolving while the procedure still needs a field is refused in the dialog,
with the one sentence naming it; nothing is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from commander.core.procedure_file import seed_text
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace
from commander.ui.features.deadlines.deadline_model import COL_LEFT, COL_NAME
from commander.ui.shell.main_window import MainWindow

EXAMPLES = Path(__file__).parents[4] / "docs" / "examples"
EXAMPLE = EXAMPLES / "sev-security.toml"


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


def test_a_regulatory_clock_is_a_row_of_the_deadlines_panel_citing_its_article(
    qtbot, window: MainWindow, workspace: Workspace, clock
) -> None:  # type: ignore[no-untyped-def]
    text = seed_text() + "\n" + (EXAMPLES / "gdpr-art33.toml").read_text("utf-8")
    ProcedureService(workspace).load(text, "seed + GDPR")
    incident = IncidentService(workspace).declare(title="Export leak", severity="P1").incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(incident.id, "personal_data_breach", "yes")
    fields.set(incident.id, "breach_aware_at", clock.now().isoformat())
    window.refresh()
    window.select_incident(incident.id)
    model = window.deadlines_panel.model
    row = model.row_of("gdpr_art33_authority")
    assert row is not None and row == model.rowCount() - 1  # after the seed's own, in order
    name = model.index(row, COL_NAME).data()
    assert name == "Notify the supervisory authority (GDPR) · GDPR Art. 33(1)"
    assert model.index(row, COL_LEFT).data() == "3d 00:00:00"
    assert "Supervisory authority" in model.index(row, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    clock.advance(60)
    window.deadlines_panel.tick()
    assert model.rowCount() == 9
    assert model.index(row, COL_LEFT).data() == "2d 23:59:00"


def test_the_field_dialog_sets_the_type_and_refuses_a_bad_value_inline(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:  # type: ignore[no-untyped-def]
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), "sev-security.toml")
    incident = IncidentService(workspace).declare(title="Leaked token", severity="P1").incident
    window.refresh()
    window.select_incident(incident.id)
    window.action_set_field.trigger()
    dialog = window.incident_commands.active_dialog
    assert dialog is not None and dialog.windowTitle() == f"Set field — {incident.ref}"
    dialog.set_key("customer_tier")
    assert dialog.hint.text().startswith("One of: enterprise, business, free; required at")
    dialog.value_edit.setText("gold")
    dialog._on_ok()
    assert dialog.error_label.text() == "Customer tier takes one of enterprise, business, free."
    dialog.set_key("type")
    dialog.value_edit.setText("security")
    dialog._on_ok()
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    assert fields.values(incident.id) == {"type": "security"}
    row = window.deadlines_panel.model.row_of("security_triage")
    assert row is not None and window.deadlines_panel.model.deadline_at(row).applies
