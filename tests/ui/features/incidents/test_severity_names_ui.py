"""Under a loaded procedure the window names severities its way (list, header, declare
dialog) and asks for the fields it requires at declaration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox

from commander.app import build_main_window
from commander.core.policy import Severity
from commander.core.severity_names import BUILTIN
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace
from commander.ui.common.severity_badge import use_severity_names
from commander.ui.features.incidents.declare_dialog import DeclareDialog
from commander.ui.features.incidents.incident_list_model import COL_SEVERITY
from commander.ui.shell.main_window import MainWindow

EXAMPLE = Path(__file__).parents[4] / "docs" / "examples" / "sev-security.toml"


@pytest.fixture(autouse=True)
def _builtin_names_after() -> Iterator[None]:
    yield
    use_severity_names(BUILTIN)  # the names are per window process: leave none behind


@pytest.fixture
def sev_window(qtbot, workspace: Workspace, settings: QSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), str(EXAMPLE))
    IncidentService(workspace).declare(title="Card data exposed", severity="sev2")
    win = build_main_window(workspace, settings)
    win.poll_timer.stop()
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_list_and_header_show_the_files_names(sev_window: MainWindow) -> None:
    model = sev_window.incident_model
    assert model.index(0, COL_SEVERITY).data() == "SEV2"
    assert "SEV2 · Major" in model.index(0, COL_SEVERITY).data(3)  # the row's tooltip
    badge = sev_window.header.badge
    assert badge.text() == "SEV2 · Major"
    assert "Significant degradation" in badge.toolTip() and "30 minutes" in badge.toolTip()


def test_the_declare_dialog_offers_the_files_levels(qtbot, sev_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sev_window.action_declare.trigger()
    dialog = sev_window.incident_commands.active_dialog
    assert isinstance(dialog, DeclareDialog)
    labels = [dialog.severity_buttons[s].text() for s in Severity]
    assert labels == ["SEV1 Critical", "SEV2 Major", "SEV3 Minor", "SEV4 Low"]
    dialog.set_severity(Severity.P0)
    assert dialog.level_box.title() == "SEV1 Critical"
    assert "Customer-facing outage" in dialog.level_label.text()
    assert "Page the CTO" in dialog.level_label.text()
    dialog.reject()
    QApplication.processEvents()


def test_a_change_of_severity_reads_by_the_files_names(sev_window: MainWindow) -> None:
    service = IncidentService(sev_window.workspace)
    incident = service.list()[0]
    service.set_field(incident.id, "severity", "SEV1")
    sev_window.refresh()
    assert sev_window.incident_model.index(0, COL_SEVERITY).data() == "SEV1"
    assert (
        sev_window.timeline_model.entry_at(sev_window.timeline_model.rowCount() - 1).event
        == "Severity changed SEV2 → SEV1 (Critical)"
    )


def test_the_declare_dialog_asks_for_the_fields_required_at_declaration(
    qtbot, sev_window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    sev_window.action_declare.trigger()
    dialog = sev_window.incident_commands.active_dialog
    assert isinstance(dialog, DeclareDialog) and dialog.field_inputs is not None
    tier = dialog.field_inputs.inputs["customer_tier"]
    assert isinstance(tier, QComboBox) and tier.accessibleName() == "Customer tier"
    dialog.title_edit.setText("Checkout errors")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()  # refused, naming the field, nothing declared
    assert "requires Customer tier (customer_tier)" in dialog.error_label.text()
    assert len(IncidentService(sev_window.workspace).list()) == 1
    tier.setCurrentIndex(tier.findData("enterprise"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()
    declared = next(
        i for i in IncidentService(sev_window.workspace).list() if i.title == "Checkout errors"
    )
    values = IncidentFieldService(
        sev_window.workspace, deadline_service_for(sev_window.workspace)
    ).values(declared.id)
    assert values["customer_tier"] == "enterprise"
