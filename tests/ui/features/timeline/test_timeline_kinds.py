"""Kinds and key events on the timeline: the tag before each event, the kind filter beside
the text filter, and the key-event shortcut (Ctrl+Shift+M), through the real window."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from commander.core.entry_kinds import Kind
from commander.services.incidents import IncidentService
from commander.ui.features.timeline.timeline_keys import toggle_key_selected
from commander.ui.features.timeline.timeline_kinds import KEY_EVENTS
from commander.ui.features.timeline.timeline_model import COL_EVENT, KIND_ROLE, TimelineModel
from commander.ui.shell.main_window import MainWindow
from tests.ui.features.timeline.test_timeline_model import entry
from tests.ui.test_main_window import log_line, shown_events


def _declare(window: MainWindow, incidents: IncidentService) -> str:
    incident_id = incidents.declare(title="Checkout down", severity="P1").incident.id
    window.refresh()
    window.select_incident(incident_id)
    return incident_id


def _shown_text(window: MainWindow, row: int) -> str:
    """What the Event cell paints: the delegate's text, tag included."""
    table = window.timeline_panel.table
    option = QStyleOptionViewItem()
    delegate = table.itemDelegateForColumn(COL_EVENT)
    delegate.initStyleOption(option, window.timeline_model.index(row, COL_EVENT))
    return option.text  # type: ignore[attr-defined]


def test_each_row_shows_its_kind_and_a_decision_who_decided(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    _declare(window, incidents)
    for line in ("o: p99 at 4 s", "d: @bob roll back to 1.42", "? is the replica lagging"):
        log_line(qtbot, window, line)
    assert shown_events(window)[1:] == ["p99 at 4 s", "roll back to 1.42", "is the replica lagging"]
    assert _shown_text(window, 0).startswith("⚙ system:  ")  # the declaration
    assert _shown_text(window, 1) == "◉ observation:  p99 at 4 s"
    assert _shown_text(window, 2) == "◆ decision by bob:  roll back to 1.42"
    assert _shown_text(window, 3) == "? question:  is the replica lagging"
    tip = window.timeline_model.index(2, COL_EVENT).data(Qt.ItemDataRole.ToolTipRole)
    assert "Decided by bob" in tip


def test_kind_filter_combines_with_the_text_filter(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    _declare(window, incidents)
    for line in ("d: freeze deploys", "d: roll back api", "a: rolled back api", "? is it DNS"):
        log_line(qtbot, window, line)
    panel = window.timeline_panel
    panel.kind_filter.set_value(Kind.DECISION)
    assert shown_events(window) == ["freeze deploys", "roll back api"]
    assert panel.count_label.text() == "2 of 5 entries"
    qtbot.keyClicks(panel.filter_edit, "api")
    assert shown_events(window) == ["roll back api"]
    panel.kind_filter.set_value("")
    assert shown_events(window) == ["roll back api", "rolled back api"]
    log_line(qtbot, window, "d: page the api team")  # a new entry honours both filters
    assert shown_events(window) == ["roll back api", "rolled back api", "page the api team"]
    panel.kind_filter.set_value(Kind.ACTION)
    assert shown_events(window) == ["rolled back api"]


def test_ctrl_shift_m_marks_and_unmarks_the_selected_entry(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = _declare(window, incidents)
    for line in ("o: errors rising", "d: roll back"):
        log_line(qtbot, window, line)
    panel = window.timeline_panel
    decision = incidents.timeline(incident_id)[-1]
    panel.select_entry(decision.id)
    panel.table.setFocus()
    qtbot.keyClick(
        panel.table,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert incidents.entries([decision.id])[0].key_event == 1
    row = window.timeline_model.row_of(decision.id)
    assert row is not None
    assert _shown_text(window, row).startswith("★ ◆ decision by alice:")
    font = window.timeline_model.index(row, COL_EVENT).data(Qt.ItemDataRole.FontRole)
    assert font.bold()
    panel.kind_filter.set_value(KEY_EVENTS)
    assert shown_events(window) == ["roll back"]
    panel.kind_filter.set_value("")
    panel.select_entry(decision.id)
    window.action_key.trigger()  # again, from the menu: unmarked
    assert incidents.entries([decision.id])[0].key_event == 0
    assert "Unmarked" in window.statusBar().currentMessage()
    assert window.action_key in panel.table.actions()  # on the right-click menu too


def test_key_shortcut_is_listed_and_says_so_without_a_selection(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    _declare(window, incidents)
    sheet = window.prefs_ui.show_shortcuts()
    text = sheet.browser.toPlainText()
    assert "Mark or unmark key event" in text and "Ctrl+Shift+M" in text
    sheet.close()
    window.timeline_panel.table.clearSelection()
    window.timeline_panel.table.setCurrentIndex(window.timeline_model.index(-1, -1))
    assert not toggle_key_selected(window.timeline_panel, window._service)
    assert window.statusBar().currentMessage() == "Select an entry to mark as a key event"


def test_quick_entry_hint_names_the_prefixes(window) -> None:  # type: ignore[no-untyped-def]
    edit = window.timeline_panel.quick_entry.event_edit
    for prefix in ("o:", "a:", "d:", "c:", "?"):
        assert prefix in edit.placeholderText()
    assert "decision" in edit.toolTip() and "question" in edit.toolTip()


def test_model_kind_filter_follows_key_marks_and_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TimelineModel(UTC)
    model.set_entries([entry(1, 0, "alpha"), entry(2, 5, "beta", kind="decision")])
    model.set_kind_filter(KEY_EVENTS)
    assert model.rowCount() == 0
    model.apply([entry(2, 5, "beta", kind="decision", key_event=1)])  # marked elsewhere
    assert model.rowCount() == 1 and model.index(0, COL_EVENT).data(KIND_ROLE) == "★ ◆ decision"
    model.set_kind_filter(Kind.OBSERVATION)  # a legacy "note" reads as an observation
    assert [model.index(r, COL_EVENT).data() for r in range(model.rowCount())] == ["alpha"]
    model.set_filter("zzz")
    assert model.rowCount() == 0
    model.set_filter("")
    model.set_kind_filter("")
    assert model.rowCount() == 2
