"""Ctrl+U opens the composer even where a line edit would take it to delete the line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from commander.ui.features.comms.composer_dialog import ComposerDialog


def _declare(window) -> None:  # type: ignore[no-untyped-def]
    declared = window._service.declare(title="API down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)


def test_ctrl_u_in_the_entry_line_opens_the_composer_and_keeps_the_text(qtbot, window) -> None:
    _declare(window)
    quick = window.timeline_panel.quick_entry
    quick.focus()
    qtbot.keyClicks(quick.event_edit, "half a line")
    qtbot.keyClick(quick.event_edit, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.comms.dialog, ComposerDialog) and window.comms.dialog.isVisible()
    assert quick.event_edit.text() == "half a line"
    composer = window.comms.dialog
    field = QApplication.focusWidget()
    if field is not None and field.window() is composer:  # inside the composer: no second one
        qtbot.keyClick(field, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
        assert window.comms.dialog is composer


def test_ctrl_u_in_a_modal_dialog_keeps_the_field_and_says_why(qtbot, window) -> None:
    _declare(window)
    dialog = window.roster_panel.assign()
    dialog.activateWindow()  # as the window manager does: the field gets the focus
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.person_edit)
    qtbot.keyClicks(dialog.person_edit, "Kim")
    qtbot.keyClick(dialog.person_edit, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert dialog.person_edit.text() == "Kim"  # not wiped by the line edit's binding
    assert "close this dialog first" in window.promised_shortcuts.last_tip
    assert window.comms.dialog is None
    dialog.reject()
