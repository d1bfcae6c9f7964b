"""Chat pasted into the window: the quick-entry line or Edit → Paste chat… opens the preview;
rows can be trimmed and corrected; Log N messages writes them, a refusal writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from commander.core.clock import FakeClock
from commander.core.entry_kinds import Kind
from commander.services.incidents import IncidentService
from commander.ui.features.timeline.chat_paste_dialog import ChatPasteDialog
from commander.ui.features.timeline.chat_paste_model import COL_FROM, COL_KEEP, COL_TEXT, COL_TIME
from commander.ui.shell.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "chat"
SLACK = (FIXTURES / "slack_desktop.txt").read_text(encoding="utf-8")
TEAMS = (FIXTURES / "teams_new_dated.txt").read_text(encoding="utf-8")


def _ready(qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService) -> str:
    clock.set(datetime(2026, 11, 28, 8, 30, tzinfo=UTC))
    declared = incidents.declare(title="API down", severity="P1").incident.id
    clock.set(datetime(2026, 11, 28, 16, 0, tzinfo=UTC))
    window.refresh()
    window.select_incident(declared)
    return declared


def _dialog(window: MainWindow) -> ChatPasteDialog:
    found = window.findChild(ChatPasteDialog, "chat_paste_dialog")
    assert found is not None
    return found


def _chat(incidents: IncidentService, incident_id: str) -> list:
    return [e for e in incidents.timeline(incident_id) if e.kind == Kind.COMMUNICATION]


def test_pasting_chat_into_the_quick_entry_line_opens_the_preview_and_logs(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService, tmp_path: Path
) -> None:
    incident_id = _ready(qtbot, window, clock, incidents)
    QGuiApplication.clipboard().setText(SLACK)
    bar = window.timeline_panel.quick_entry
    bar.event_edit.setFocus()
    qtbot.keySequence(bar.event_edit, QKeySequence.StandardKey.Paste)
    dialog = _dialog(window)
    qtbot.waitExposed(dialog)
    assert bar.event_edit.text() == ""  # not flattened into the line
    assert dialog.format_label.text() == "Read as <b>Slack (desktop app)</b>: 5 messages"
    model = dialog.model
    assert model.rowCount() == 5
    assert model.data(model.index(0, COL_TIME)) == "2026-11-28 09:01"
    assert model.data(model.index(1, COL_FROM)) == "Tom Okafor"
    assert model.data(model.index(2, COL_TEXT)) == "rolling back api-gw to 1.42 now"
    assert dialog.day_edit.isVisible() and dialog.day_edit.date() == QDate(2026, 11, 28)
    assert dialog.log_button.text() == "&Log 5 messages"

    # Trim one row, correct another's text, as a scribe would.
    model.setData(model.index(3, COL_KEEP), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert dialog.log_button.text() == "&Log 4 messages"
    model.setData(model.index(1, COL_TEXT), "looking at api-gw", Qt.ItemDataRole.EditRole)

    dialog.resize(1280, 800)
    dialog.grab().save(str(tmp_path / "chat_paste.png"))
    assert (tmp_path / "chat_paste.png").stat().st_size > 0

    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    entries = _chat(incidents, incident_id)
    assert [(e.occurred_at.strftime("%H:%M"), e.attributed_to, e.event) for e in entries] == [
        ("09:01", "Priya Raman", "api-gw p99 is at 4 s since the 8:55 deploy"),
        ("09:03", "Tom Okafor", "looking at api-gw"),
        ("09:04", "Tom Okafor", "rolling back api-gw to 1.42 now"),
        (
            "09:12",
            "Priya Raman",
            "error rate is back under 0.1%\nkeeping the incident open for an hour",
        ),
    ]
    shown = window.timeline_model
    assert any(
        shown.data(shown.index(row, 0)) is not None
        and "looking at api-gw"
        in str([shown.data(shown.index(row, c)) for c in range(shown.columnCount())])
        for row in range(shown.rowCount())
    )


def test_a_single_line_paste_stays_in_the_line(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    _ready(qtbot, window, clock, incidents)
    QGuiApplication.clipboard().setText("rolled back api-gw")
    bar = window.timeline_panel.quick_entry
    bar.event_edit.setFocus()
    qtbot.keySequence(bar.event_edit, QKeySequence.StandardKey.Paste)
    assert bar.event_edit.text() == "rolled back api-gw"
    assert window.findChild(ChatPasteDialog, "chat_paste_dialog") is None


def test_edit_menu_opens_the_preview_with_skipped_lines_and_a_day_to_move(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    incident_id = _ready(qtbot, window, clock, incidents)
    QGuiApplication.clipboard().setText(TEAMS)
    assert window.action_paste_chat.shortcut().toString() == "Ctrl+Alt+V"
    window.action_paste_chat.trigger()
    dialog = _dialog(window)
    qtbot.waitExposed(dialog)
    assert "Microsoft Teams" in dialog.format_label.text()
    assert not dialog.day_edit.isVisible()  # Teams wrote the dates itself
    skipped = dialog.skipped_model.stringList()
    assert "line 21: Last read — interface text Teams adds" in skipped
    assert dialog.skipped_label.text() == f"{len(skipped)} lines not taken as messages:"

    # Undated text typed into the box: read again, and the day can be moved.
    dialog.text_edit.setPlainText(SLACK)
    qtbot.waitUntil(lambda: "Slack" in dialog.format_label.text())
    model = dialog.model
    model.setData(model.index(0, COL_FROM), "Priya R.", Qt.ItemDataRole.EditRole)
    model.setData(model.index(1, COL_KEEP), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    dialog.day_edit.setDate(QDate(2026, 11, 27))
    assert model.data(model.index(0, COL_TIME)) == "2026-11-27 09:01"
    assert model.data(model.index(0, COL_FROM)) == "Priya R."  # edits survive the new day
    assert model.kept_count() == 4
    dialog.model.set_all_kept(False)
    assert not dialog.log_button.isEnabled()
    dialog.reject()
    assert _chat(incidents, incident_id) == []


def test_a_refused_message_is_named_inline_and_nothing_is_logged(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    incident_id = _ready(qtbot, window, clock, incidents)
    QGuiApplication.clipboard().setText(SLACK)
    window.action_paste_chat.trigger()
    dialog = _dialog(window)
    dialog.day_edit.setDate(QDate(2026, 11, 29))  # tomorrow: every message in the future
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith(
        "Priya Raman’s message at 2026-11-29 09:01 (“api-gw p99 is at 4 s…”) is in the future"
    )
    assert _chat(incidents, incident_id) == []
    clock.advance(timedelta(days=1))  # the next afternoon: now it has happened
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert len(_chat(incidents, incident_id)) == 5


def test_pasted_markup_is_shown_as_text_in_a_refusal(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    _ready(qtbot, window, clock, incidents)
    chat = "[9:15 AM] <b>Mallory</b>\n\n<img src=x> hello\n"
    window.timeline_panel.quick_entry.sig_chat_pasted.emit(chat)
    dialog = _dialog(window)
    dialog.day_edit.setDate(QDate(2026, 11, 30))
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.error_label.text().startswith("<b>Mallory</b>’s message at 2026-11-30 09:15")


def test_pasting_chat_on_the_timeline_opens_the_preview_not_an_attachment(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    _ready(qtbot, window, clock, incidents)
    QGuiApplication.clipboard().setText(TEAMS)
    table = window.timeline_panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    dialog = _dialog(window)
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() > 1
