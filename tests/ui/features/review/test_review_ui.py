"""The Review tab, the action-item dialog and the Action Items window, with pytest-qt."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from PySide6.QtCore import QDate, QDateTime, Qt

from commander.core.ops import Entity
from commander.core.people import Person
from commander.services.action_items import ActionItemService
from commander.services.people import PeopleService
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.storage import queries
from commander.ui.features.review.action_item_dialog import ActionItemDialog
from commander.ui.features.review.action_item_model import COL_DUE, COL_STATUS, COL_TITLE, SORT_ROLE
from commander.ui.features.review.review_feature import TAB_REVIEW

_POPUP = pytest.mark.qt_log_ignore(
    r"does not support (raise|grabbing|propagateSizeHints|activateWindow)"
)


def _incident(window, title: str = "API down", severity: str = "P1"):
    declared = window._service.declare(title=title, severity=severity, services="api")
    window.refresh()
    window.select_incident(declared.incident.id)
    return declared.incident


def _review_ops(workspace) -> list:
    with workspace.read() as conn:
        return [op for op in queries.ops_in_chain_order(conn) if op.entity == Entity.REVIEW]


def test_the_review_tab_sits_beside_the_timeline_and_shows_the_record(
    qtbot, window, workspace, clock
) -> None:
    incident = _incident(window)
    PeopleService(workspace).save_person(Person("alice", "Alice Smith"))
    RosterService(workspace).assign(incident.id, "IC", "alice")
    clock.advance(timedelta(minutes=40))
    window._service.set_field(incident.id, "status", "resolved")
    window.refresh()
    feature = window.review
    assert feature.tabs.tabText(0) == "Timeline" and feature.tabs.tabText(1) == "Review"
    window.review.action_review.trigger()  # Ctrl+Shift+V
    assert feature.tabs.currentIndex() == TAB_REVIEW
    panel = feature.panel
    qtbot.waitUntil(lambda: "INC-" in panel.summary_label.text())
    summary = panel.summary_label.text()
    assert incident.ref in summary and "40 min" in summary
    assert "Alice Smith (@alice)" in panel.team_label.text()
    model = panel.timeline_model
    events = [model.entry_at(row).event for row in range(model.rowCount())]
    assert any(event.startswith("Incident declared") for event in events)
    assert any(event.startswith("Status") or "resolved" in event.lower() for event in events)
    assert not panel.timeline_note.isVisible()  # the whole timeline is shown
    assert "Due by" in panel.meeting.state_label.text()
    window.action_quick_entry.trigger()  # Ctrl+L: back to the timeline, ready to type
    assert feature.tabs.currentIndex() == 0
    assert window.timeline_panel.quick_entry.event_edit.hasFocus()


def test_pending_text_is_saved_when_switching_incident_or_closing(qtbot, window, workspace):
    first = _incident(window, "API down")
    second = _incident(window, "Backups failing", "P2")
    window.select_incident(first.id)
    window.review.show_review()
    panel = window.review.panel
    panel.editors["detection"].setFocus()
    qtbot.keyClicks(panel.editors["detection"], "Pager alert")
    window.select_incident(second.id)  # before the autosave pause ends
    review = ReviewService(workspace)
    assert review.review_fields(first.id)["detection"] == "Pager alert"
    assert panel.editors["detection"].toPlainText() == ""  # the second incident's, empty
    qtbot.keyClicks(panel.editors["detection"], "Backup job alert")
    window.close()
    assert review.review_fields(second.id)["detection"] == "Backup job alert"


def test_text_autosaves_after_a_pause_and_on_focus_out(qtbot, window, workspace) -> None:
    incident = _incident(window)
    window.review.show_review()
    panel = window.review.panel
    editor = panel.editors["primary_cause"]
    editor.setFocus()
    qtbot.keyClicks(editor, "Expired cert")
    assert _review_ops(workspace) == []  # not on every keystroke
    qtbot.waitUntil(lambda: len(_review_ops(workspace)) == 1, timeout=3000)
    assert _review_ops(workspace)[0].value["value"] == "Expired cert"
    assert "saved" in panel.save_label.text()
    qtbot.keyClicks(editor, "ificate")
    panel.editors["detection"].setFocus()  # leaving the box saves at once
    assert _review_ops(workspace)[-1].value["value"] == "Expired certificate"
    assert ReviewService(workspace).review_fields(incident.id)["primary_cause"] == (
        "Expired certificate"
    )
    editor.undo()  # the box's own undo, saved like any edit
    assert editor.toPlainText() != "Expired certificate"
    panel.save_pending()
    stored = ReviewService(workspace).review_fields(incident.id)["primary_cause"]
    assert stored == editor.toPlainText()


def test_remote_edits_appear_but_never_overwrite_typing(qtbot, window, workspace) -> None:
    incident = _incident(window)
    window.review.show_review()
    panel = window.review.panel
    other = ReviewService(workspace)  # the CLI or another laptop, through the same log
    other.set_field(incident.id, "detection", "Pager alert")
    other.set_field(incident.id, "monitoring", "48 h dashboards")
    panel.editors["monitoring"].setFocus()
    qtbot.keyClicks(panel.editors["monitoring"], "Mine")
    panel.poll()
    assert panel.editors["detection"].toPlainText() == "Pager alert"
    assert panel.editors["monitoring"].toPlainText() == "Mine"


@_POPUP
def test_schedule_review_and_export_the_invitation(qtbot, window, workspace, clock, tmp_path):
    incident = _incident(window)
    clock.advance(timedelta(hours=1))
    window._service.set_field(incident.id, "status", "resolved")  # 11:00: due 5 Dec 11:00
    window.refresh()
    window.review.action_schedule.trigger()
    meeting = window.review.panel.meeting
    assert not meeting.ics_button.isEnabled()
    meeting.when_edit.setDateTime(QDateTime(QDate(2026, 12, 8), meeting.when_edit.time()))
    qtbot.mouseClick(meeting.schedule_button, Qt.MouseButton.LeftButton)
    assert "after the deadline" in meeting.state_label.text()
    meeting.when_edit.setDateTime(QDateTime(2026, 12, 2, 15, 30, 0))  # UTC workspace
    meeting.minutes_spin.setValue(45)
    assert meeting.schedule()
    assert ReviewService(workspace).scheduled_review(incident.id) == datetime(
        2026, 12, 2, 15, 30, tzinfo=UTC
    )
    assert "after the deadline" not in meeting.state_label.text()
    window.review.save_path = tmp_path / "review.ics"
    window.review.action_ics.trigger()
    event = Calendar.from_ical((tmp_path / "review.ics").read_bytes()).walk("VEVENT")[0]
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert f"{incident.ref}-report.html" in str(event["description"])
    window.review.action_held.trigger()
    assert "Held" in meeting.state_label.text()


@_POPUP
def test_action_item_from_a_timeline_entry_is_linked(qtbot, window, workspace) -> None:
    incident = _incident(window)
    entry, _ = window._service.log(incident.id, "Renewal job failing for 9 days")
    window.refresh()
    window.timeline_panel.select_entry(entry.id)
    table = window.timeline_panel.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert window.review.action_entry_menu in table.actions()
    window.review.action_entry_menu.trigger()
    dialog = window.review.dialog
    assert isinstance(dialog, ActionItemDialog)
    assert dialog.title_edit.text() == "Renewal job failing for 9 days"
    dialog.title_edit.setText("Alert on renewal failures")
    dialog.owner_edit.setText("Sofia")
    dialog.term_combo.setCurrentIndex(1)  # medium: the due date follows the term
    assert dialog.due_edit.date() == QDate(2027, 2, 28)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.result() == ActionItemDialog.DialogCode.Accepted
    [item] = ActionItemService(workspace).action_items(incident.id)
    assert (item.entry_id, item.term, item.owner) == (entry.id, "medium", "Sofia")
    assert item.due == date(2027, 2, 28)
    panel_model = window.review.panel.items_model
    assert panel_model.rowCount() == 1


@_POPUP
def test_refusals_show_inline_and_keep_the_dialog_open(qtbot, window) -> None:
    _incident(window)
    dialog = window.review.new_item()
    dialog.title_edit.setText("Fix it")
    dialog.tracker_edit.setText("jira/OPS-1")
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "https://" in dialog.error_label.text()


@_POPUP
def test_action_items_window_lists_overdue_first_sorts_and_edits(
    qtbot, window, workspace, clock
) -> None:
    first = _incident(window, "API down")
    second = _incident(window, "Backups failing", "P2")
    items = ActionItemService(workspace)
    later = items.add_action_item(first.id, "Automate renewal", term="long")
    late = items.add_action_item(second.id, "Fix backup job", due=date(2026, 12, 1))
    done = items.add_action_item(first.id, "Tune alert", due=date(2026, 11, 30), status="done")
    clock.set(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    window.action_items_shortcut = window.review.action_items.shortcut().toString()
    assert window.action_items_shortcut == "Ctrl+Shift+A"
    items_window = window.review.open_items_window()
    proxy = items_window.proxy

    def titles() -> list[str]:
        return [proxy.index(r, COL_TITLE).data() for r in range(proxy.rowCount())]

    assert titles() == ["Fix backup job", "Automate renewal"]  # overdue first; done hidden
    assert proxy.index(0, COL_STATUS).data().startswith("Overdue")
    assert "1 overdue" in items_window.summary_label.text()
    items_window.finished_check.setChecked(True)
    assert titles()[-1] == "Tune alert"
    items_window.table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Tune alert", "Fix backup job", "Automate renewal"]
    assert proxy.index(0, COL_DUE).data(SORT_ROLE) < proxy.index(1, COL_DUE).data(SORT_ROLE)
    row = titles().index("Fix backup job")
    items_window.table.doubleClicked.emit(proxy.index(row, COL_TITLE))
    dialog = window.review.dialog
    assert isinstance(dialog, ActionItemDialog)
    assert dialog.due_edit.date() == QDate(2026, 12, 1)  # a chosen date stays put
    dialog.status_combo.setCurrentIndex(2)  # done
    dialog.buttons.accepted.emit()
    assert items.action_item(late.id).status == "done"
    assert "0 overdue" in items_window.summary_label.text()
    items_window.table.selectRow(titles().index("Automate renewal"))
    items_window.go_button.click()
    assert window.current_incident().id == later.incident_id
    assert window.review.tabs.currentIndex() == TAB_REVIEW
    assert done.id in {i.id for i in items_window.model.items}
    # A change from elsewhere (the CLI) shows up; the selected item stays selected.
    items_window.table.selectRow(titles().index("Tune alert"))
    items.add_action_item(second.id, "Document the restore drill")
    items_window.poll()
    assert "Document the restore drill" in titles()
    assert items_window.current_item().id == done.id
