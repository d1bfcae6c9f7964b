"""The declare dialog from the keyboard: what has focus is what is declared."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.core.policy import Severity
from commander.ui.features.incidents.declare_dialog import DeclareDialog


def _open(qtbot, window) -> DeclareDialog:  # type: ignore[no-untyped-def]
    window.action_declare.trigger()
    dialog = window.incident_commands.active_dialog
    assert isinstance(dialog, DeclareDialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_tab_lands_on_the_chosen_severity_and_digits_arrows_move_it(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    qtbot.keyClicks(dialog.title_edit, "Checkout down")
    _key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.severity_buttons[Severity.P1]  # the checked one
    _key(qtbot, Qt.Key.Key_0)
    assert dialog.severity() is Severity.P0
    assert QApplication.focusWidget() is dialog.severity_buttons[Severity.P0]
    _key(qtbot, Qt.Key.Key_Right)
    _key(qtbot, Qt.Key.Key_Right)
    assert dialog.severity() is Severity.P2 and "Team &lead" in dialog.escalated_check.text()
    _key(qtbot, Qt.Key.Key_3)
    assert dialog.severity() is Severity.P3 and dialog.escalated_check.isHidden()
    _key(qtbot, Qt.Key.Key_Left)
    _key(qtbot, Qt.Key.Key_Up)
    _key(qtbot, Qt.Key.Key_Up)
    assert dialog.severity() is Severity.P0 and "&Executives" in dialog.escalated_check.text()
    _key(qtbot, Qt.Key.Key_Tab)  # leaves the group: the next field, severity unchanged
    assert QApplication.focusWidget() is dialog.services_edit
    assert dialog.severity() is Severity.P0
    _key(qtbot, Qt.Key.Key_Return)
    [incident] = window._service.list()
    assert incident.severity is Severity.P0


def test_enter_adds_an_impact_line_and_ctrl_enter_declares(qtbot, window, workspace) -> None:
    dialog = _open(qtbot, window)
    qtbot.keyClicks(dialog.title_edit, "Checkout down")
    dialog.set_severity(Severity.P0)
    dialog.escalated_check.setChecked(True)
    dialog.impact_edit.setFocus()
    qtbot.keyClicks(dialog.impact_edit, "EU customers")
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.impact_edit, "US customers")
    assert dialog.isVisible() and window._service.list() == []
    _key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [incident] = window._service.list()
    assert incident.impact == "EU customers\nUS customers"
    escalation = next(
        d for d in window._deadlines.deadlines(incident.id) if d.key is DeadlineKind.ESCALATION
    )
    assert escalation.state is DeadlineState.MET and escalation.met_in_time()
    events = [e.event for e in window._service.timeline(incident.id)]
    assert "Deadline met: Executive notification" in events
    assert not [e for e in events if e.startswith("Deadline missed")]
