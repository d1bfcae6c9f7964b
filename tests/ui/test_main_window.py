"""The main window end to end: declare, log, correct, filter, change, refresh, restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from commander.app import build_main_window
from commander.core.clock import FakeClock
from commander.core.policy import Severity
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.features.incidents.declare_dialog import DeclareDialog
from commander.ui.features.timeline.timeline_model import (
    BACKFILLED_MARK,
    COL_EVENT,
    COL_OWNER,
    COL_TIME,
)
from commander.ui.shell.main_window import PAGE_EMPTY, PAGE_INCIDENT, MainWindow


def declare_via_dialog(qtbot, window: MainWindow, title: str = "API down") -> None:  # type: ignore[no-untyped-def]
    window.action_declare.trigger()
    dialog = window.incident_commands.active_dialog
    assert isinstance(dialog, DeclareDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.title_edit, title)
    dialog.set_severity(Severity.P0)
    dialog.services_edit.setText("customer-api, auth")
    dialog.impact_edit.setPlainText("All API calls fail")
    dialog.buttons.accepted.emit()


def shown_events(window: MainWindow) -> list[str]:
    model = window.timeline_model
    return [model.index(r, COL_EVENT).data() for r in range(model.rowCount())]


def log_line(qtbot, window: MainWindow, line: str, action: str = "") -> None:  # type: ignore[no-untyped-def]
    panel = window.timeline_panel
    qtbot.keyClicks(panel.quick_entry.event_edit, line)
    if action:
        qtbot.keyClick(panel.quick_entry.event_edit, Qt.Key.Key_Tab)
        assert panel.quick_entry.action_edit.hasFocus()
        qtbot.keyClicks(panel.quick_entry.action_edit, action)
        qtbot.keyClick(panel.quick_entry.action_edit, Qt.Key.Key_Return)
    else:
        qtbot.keyClick(panel.quick_entry.event_edit, Qt.Key.Key_Return)


def test_empty_state_then_declare_selects_incident(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    assert window.stack.currentIndex() == PAGE_EMPTY
    assert not window.action_severity.isEnabled()
    declare_via_dialog(qtbot, window, "Customer API completely unavailable")
    [incident] = incidents.list()
    assert incident.severity is Severity.P0
    assert incident.services == ("customer-api", "auth")
    assert window.stack.currentIndex() == PAGE_INCIDENT
    assert window.current_incident().id == incident.id
    assert window.incident_view.currentIndex().row() == 0
    assert window.header.badge.text() == "P0 · Critical"
    assert window.header.title_label.text() == "Customer API completely unavailable"
    assert window.timeline_model.rowCount() == 1  # the "Incident declared" system entry
    assert window.timeline_panel.quick_entry.event_edit.hasFocus()


def test_declare_error_shows_inline_and_keeps_input(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    window.action_declare.trigger()
    dialog = window.incident_commands.active_dialog
    assert isinstance(dialog, DeclareDialog)
    dialog.services_edit.setText("customer-api")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "Title" in dialog.error_label.text() and dialog.error_label.isVisible()
    assert dialog.services_edit.text() == "customer-api"
    assert incidents.list() == []
    dialog.set_severity(Severity.P2)
    assert "Minor functionality issues" in dialog.level_label.text()
    assert "2 hours" in dialog.level_label.text()


def test_quick_entry_logs_with_time_and_owner(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    clock.advance(timedelta(minutes=20))  # 10:20 UTC
    panel = window.timeline_panel
    log_line(qtbot, window, "09:58 Rolled back api-gw @priya", action="Restarted pods")
    assert panel.quick_entry.event_edit.text() == "" and panel.quick_entry.action_edit.text() == ""
    assert panel.quick_entry.event_edit.hasFocus()
    model = window.timeline_model
    row = model.row_of(incidents.timeline(window.current_incident().id)[0].id)
    assert row == 0  # the 09:58 entry sorts before the 10:00 declaration
    assert model.index(0, COL_TIME).data() == "09:58:00" + BACKFILLED_MARK  # written at 10:20
    assert model.index(0, COL_EVENT).data() == "Rolled back api-gw"
    assert model.index(0, COL_OWNER).data() == "priya"
    log_line(qtbot, window, "Second line")
    assert shown_events(window)[-1] == "Second line"
    window.refresh()  # the shared path runs after the panel showed the entry itself
    assert model.rowCount() == 3  # inserted once, not twice


def test_quick_entry_error_is_inline_and_text_kept(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    panel = window.timeline_panel
    log_line(qtbot, window, "25:99 broken time")
    assert panel.quick_entry.error_label.isVisible()
    assert "not a time of day" in panel.quick_entry.error_label.text()
    assert panel.quick_entry.event_edit.text() == "25:99 broken time"
    assert window.timeline_model.rowCount() == 1
    qtbot.keyClicks(panel.quick_entry.event_edit, "x")
    assert not panel.quick_entry.error_label.isVisible()
    panel.quick_entry.event_edit.clear()
    qtbot.keyClick(panel.quick_entry.event_edit, Qt.Key.Key_Return)  # a spare Enter: nothing
    assert not panel.quick_entry.error_label.isVisible()
    assert window.timeline_model.rowCount() == 1


def test_strike_and_amend_through_dialogs(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    log_line(qtbot, window, "Failed over to backup")
    panel = window.timeline_panel
    entry_id = incidents.timeline(window.current_incident().id)[-1].id
    panel.select_entry(entry_id)
    window.action_strike.trigger()
    dialog = panel.active_dialog
    dialog.buttons.accepted.emit()  # no reason: refused inline
    assert dialog.isVisible() and "Reason" in dialog.error_label.text()
    dialog.reason_edit.setText("Logged on the wrong incident")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    row = window.timeline_model.row_of(entry_id)
    index = window.timeline_model.index(row, COL_EVENT)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.strikeOut()
    assert "Logged on the wrong incident" in index.data(Qt.ItemDataRole.ToolTipRole)

    panel.select_entry(entry_id)
    window.action_amend.trigger()
    dialog = panel.active_dialog
    dialog.event_edit.setText("Failed over to the backup cluster")
    dialog.buttons.accepted.emit()
    assert index.data() == "✎ Failed over to the backup cluster  (was: Failed over to backup)"
    assert window.timeline_model.rowCount() == 2


def test_undo_strikes_last_session_entry(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    log_line(qtbot, window, "first")
    log_line(qtbot, window, "second")
    window.action_undo.trigger()
    timeline = incidents.timeline(window.current_incident().id)
    assert [(e.event, e.struck, e.strike_reason) for e in timeline[1:]] == [
        ("first", 0, ""),
        ("second", 1, "Undone"),
    ]
    window.action_undo.trigger()
    window.action_undo.trigger()  # nothing left: no error
    timeline = incidents.timeline(window.current_incident().id)
    assert [e.struck for e in timeline] == [0, 1, 1]
    assert timeline[0].kind == "system"


def test_filter_and_escape(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    for line in ("Paged DBA @dana", "Cert renewed", "DB latency normal"):
        log_line(qtbot, window, line)
    panel = window.timeline_panel
    window.action_find.trigger()
    assert panel.filter_edit.hasFocus()
    qtbot.keyClicks(panel.filter_edit, "dana")
    assert shown_events(window) == ["Paged DBA"]
    assert panel.count_label.text() == "1 of 4 entries"
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    assert panel.filter_edit.text() == "" and window.timeline_model.rowCount() == 4


def test_sort_descending_by_header(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    log_line(qtbot, window, "later")
    panel = window.timeline_panel
    panel.table.horizontalHeader().sectionClicked.emit(COL_TIME)
    assert shown_events(window)[0] == "later"
    log_line(qtbot, window, "latest")
    assert shown_events(window)[0] == "latest"


def test_change_severity_logs_system_entry(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    window.action_severity.trigger()
    dialog = window.incident_commands.active_dialog
    dialog.set_value("P2")
    dialog.buttons.accepted.emit()
    assert window.header.badge.text() == "P2 · Medium"
    assert incidents.get(window.current_incident().id).severity is Severity.P2
    last = window.timeline_model.entry_at(window.timeline_model.rowCount() - 1)
    assert last.kind == "system" and "P0 → P2" in last.event
    window.action_status.trigger()
    window.incident_commands.active_dialog.set_value("monitoring")
    window.incident_commands.active_dialog.buttons.accepted.emit()
    assert window.header.status_label.text() == "Status: <b>Monitoring</b>"


def test_external_change_appears_after_poll(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    incident_id = window.current_incident().id
    other = IncidentService(
        Workspace.open(Path(window._ws.data_dir), author="bob", clock=window._ws.clock, zone=UTC)
    )
    entry, _ = other.log(incident_id, "Written by the CLI")
    other.declare(title="Second incident", severity="P3")
    assert window.timeline_model.rowCount() == 1
    window.poll_timer.start(10)
    qtbot.waitUntil(lambda: window.timeline_model.rowCount() == 2, timeout=2000)
    assert shown_events(window)[-1] == "Written by the CLI"
    assert window.incident_model.rowCount() == 2
    assert window.current_incident().id == incident_id  # selection kept
    other.strike(entry.id, "bob's mistake")
    qtbot.waitUntil(lambda: window.timeline_model.entry_at(1).struck == 1, timeout=2000)
    assert window.timeline_model.rowCount() == 2


def test_copy_rows_and_markdown(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    log_line(qtbot, window, "Rolled back @sam", action="Restarted")
    panel = window.timeline_panel
    panel.table.selectRow(1)
    panel.table.setFocus()
    window.action_copy.trigger()
    assert QApplication.clipboard().text() == "10:00:00\tRolled back\tRestarted\tsam\talice\n"
    window.action_copy_md.trigger()
    text = QApplication.clipboard().text()
    assert text.startswith("| Time | Event | Action taken | Owner |\n|")
    assert "| 10:00:00 | Rolled back | Restarted | sam |" in text


def test_restart_keeps_everything(
    qtbot, data_dir: Path, clock: FakeClock, settings: QSettings
) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    window = build_main_window(ws, settings)
    window.poll_timer.stop()
    qtbot.addWidget(window)
    window.show()
    declare_via_dialog(qtbot, window, "Persisted incident")
    log_line(qtbot, window, "kept across restarts")
    window.resize(720, 520)  # fits the offscreen 800x600 screen
    window.close()
    ws.close()

    ws2 = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    try:
        again = build_main_window(ws2, settings)
        again.poll_timer.stop()
        qtbot.addWidget(again)
        again.show()
        assert again.current_incident().title == "Persisted incident"
        assert shown_events(again)[-1] == "kept across restarts"
        assert again.stack.currentIndex() == PAGE_INCIDENT
        assert (again.width(), again.height()) == (720, 520)
        again.close()
    finally:
        ws2.close()


def test_elapsed_ticks_from_declared_time(qtbot, window: MainWindow, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    declare_via_dialog(qtbot, window)
    clock.set(datetime(2026, 11, 28, 11, 2, 3, tzinfo=UTC))
    window.header.elapsed_label.refresh()
    assert window.header.elapsed_label.text() == "Elapsed 01:02:03"


def test_keyboard_flow_ctrl_z_takes_back_the_entry(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.incident_commands.active_dialog, DeclareDialog)
    window.incident_commands.active_dialog.reject()
    declare_via_dialog(qtbot, window)
    panel = window.timeline_panel
    log_line(qtbot, window, "typo entry")
    qtbot.keyClick(panel.quick_entry.event_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert incidents.timeline(window.current_incident().id)[-1].strike_reason == "Undone"
    qtbot.keyClicks(panel.quick_entry.event_edit, "abc")  # with text typed, Ctrl+Z edits the text
    qtbot.keyClick(panel.quick_entry.event_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.quick_entry.event_edit.text() == ""
    assert [e.struck for e in incidents.timeline(window.current_incident().id)] == [0, 1]
