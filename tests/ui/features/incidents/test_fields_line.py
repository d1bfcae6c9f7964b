"""The header's line of the procedure's type and fields: what is recorded, what is still to
fill in, hidden under the seed; a click opens the field dialog at that field."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from commander.core.procedure_fields import HeaderField
from commander.core.records import Incident
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace
from commander.ui.features.incidents.field_dialog import FieldDialog
from commander.ui.features.incidents.fields_line import fields_html
from commander.ui.shell.main_window import MainWindow

EXAMPLE = Path(__file__).parents[4] / "docs" / "examples" / "sev-security.toml"


@pytest.fixture
def leaked(window: MainWindow, workspace: Workspace) -> Incident:
    """A P1 under the example security procedure, shown in the window."""
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), "sev-security.toml")
    incident = IncidentService(workspace).declare(title="Leaked token", severity="P1").incident
    window.refresh()
    window.select_incident(incident.id)
    return incident


def test_the_seed_shows_no_fields_line(qtbot, window: MainWindow, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    incident = IncidentService(workspace).declare(title="Checkout down", severity="P1").incident
    window.refresh()
    window.select_incident(incident.id)
    assert window.fields_line.rows == []
    assert window.fields_line.isHidden()


def test_the_line_follows_the_fields_as_they_are_set(
    qtbot, window: MainWindow, workspace: Workspace, leaked: Incident
) -> None:  # type: ignore[no-untyped-def]
    line = window.fields_line
    assert not line.isHidden()
    assert [(r.key, r.text, r.to_fill) for r in line.rows] == [
        ("type", "", False),
        ("customer_tier", "", True),
        ("personal_data_breach", "", True),
    ]  # the regulator reference is asked for only of a security incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(leaked.id, "type", "security")
    fields.set(leaked.id, "customer_tier", "enterprise")
    window.refresh()
    assert [(r.name, r.text, r.to_fill) for r in line.rows] == [
        ("Type", "Security", False),
        ("Customer tier", "enterprise", False),
        ("Regulator reference", "", True),
        ("Personal-data breach", "", True),
    ]
    assert "<b>enterprise</b>" in line.text() and "<i>to fill in</i>" in line.text()


def test_clicking_a_name_opens_the_dialog_at_that_field(
    qtbot, window: MainWindow, leaked: Incident
) -> None:  # type: ignore[no-untyped-def]
    window.fields_line.linkActivated.emit("customer_tier")
    dialog = window.incident_commands.active_dialog
    assert isinstance(dialog, FieldDialog)
    assert dialog.key() == "customer_tier"
    dialog.value_edit.setText("business")
    dialog._on_ok()
    assert [r.text for r in window.fields_line.rows if r.key == "customer_tier"] == ["business"]


def test_names_and_values_are_escaped() -> None:
    html = fields_html([HeaderField("k", "A<b>", "x&y", False), HeaderField("t", "T", "", False)])
    assert html == '<a href="k">A&lt;b&gt;</a>: <b>x&amp;y</b> · <a href="t">T</a>: —'


def test_ctrl_shift_y_opens_the_field_dialog(qtbot, window: MainWindow, leaked: Incident) -> None:  # type: ignore[no-untyped-def]
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_Y,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert isinstance(window.incident_commands.active_dialog, FieldDialog)
