"""Search everything (Ctrl+Shift+F): results grouped and highlighted, opened at the entry."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from commander.core.search_text import Marked
from commander.ui.common.highlight_delegate import runs
from commander.ui.common.themes import theme_colours
from commander.ui.features.search.search_dialog import LIMIT, SearchDialog
from commander.ui.features.search.search_model import COL_TEXT, COL_WHERE, MARKED_ROLE

FIRST_SCREEN_PLUS = 700  # more than the timeline loads at once: the match is in the rest


def _record(window, clock) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    service = window._service
    old = service.declare(title="Gateway TLS errors", severity="P1", services="customer-api")
    entry, _ = service.log(old.incident.id, "Certificate expired on the edge gateway")
    clock.advance(timedelta(hours=2))
    new = service.declare(title="Slow orders", severity="P2", services="orders")
    for n in range(FIRST_SCREEN_PLUS):
        service.log(new.incident.id, f"orders latency sample {n}")
    deep = service.log(new.incident.id, "certificate checked, not the cause")[0]
    for n in range(FIRST_SCREEN_PLUS):
        service.log(new.incident.id, f"orders latency later {n}")
    window.refresh()
    return old.incident.id, entry.id, deep.id


def _search(qtbot, dialog: SearchDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(dialog.query_edit, text)
    qtbot.waitUntil(lambda: not dialog.is_searching(), timeout=5000)


def test_typing_searches_groups_and_highlights(qtbot, window, clock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old_id, _, _ = _record(window, clock)
    window.action_search.trigger()
    dialog = window.search.dialog
    assert isinstance(dialog, SearchDialog) and dialog.isVisible() and not dialog.isModal()
    _search(qtbot, dialog, "certif")
    model = dialog.model
    assert model.rowCount() == 2  # two incidents, the newest first
    assert model.groups()[1].incident_id == old_id
    hit_index = model.index(0, COL_TEXT, model.index(1, 0))
    marked = hit_index.data(MARKED_ROLE)
    assert isinstance(marked, Marked)
    start, end = marked.spans[0]
    assert marked.text[start:end] == "Certif"
    assert "2 matches in 2 incidents" in dialog.summary_label.text()

    dialog.resize(1280, 800)
    qtbot.waitUntil(lambda: dialog.view.viewport().width() > 900)
    path = tmp_path / "search.png"
    assert dialog.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() >= 1280
    rect = dialog.view.visualRect(dialog.view.model().index(0, COL_TEXT, model.index(1, 0)))
    origin = dialog.view.viewport().mapTo(dialog, rect.topLeft())
    accent = QColor(theme_colours().accent)
    painted = {
        image.pixelColor(origin.x() + dx, origin.y() + rect.height() // 2).name()
        for dx in range(0, min(rect.width(), 120))
    }
    assert accent.name() in painted  # the match is drawn on the accent colour

    dialog.severity_box.setCurrentText("P1")
    qtbot.waitUntil(lambda: not dialog.is_searching(), timeout=5000)
    assert [g.incident_id for g in model.groups()] == [old_id]


def test_enter_opens_the_incident_at_an_entry_still_loading(qtbot, window, clock) -> None:  # type: ignore[no-untyped-def]
    old_id, old_entry, deep_id = _record(window, clock)
    window.select_incident(old_id)
    dialog = window.search.open()
    _search(qtbot, dialog, "certificate checked")
    assert dialog.model.rowCount() == 1
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)  # the first match is current
    panel = window.timeline_panel
    assert window.current_incident().id != old_id
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=10000)
    current = panel.current_entry()
    assert current is not None and current.id == deep_id
    row = panel.model.row_of(deep_id)
    assert row is not None
    assert panel.table.visualRect(panel.model.index(row, 1)).intersects(
        panel.table.viewport().rect()
    )

    window.timeline_panel.filter_edit.setText("latency")
    dialog.query_edit.clear()
    _search(qtbot, dialog, "edge gateway")
    index = dialog.model.index(0, COL_TEXT, dialog.model.index(0, 0))
    rect = dialog.view.visualRect(index)
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_incident().id == old_id
    assert panel.filter_edit.text() == ""  # the filter hid the entry: cleared
    assert panel.current_entry().id == old_entry


def test_short_or_odd_queries_say_so_and_never_fail(qtbot, window, clock) -> None:  # type: ignore[no-untyped-def]
    _record(window, clock)
    dialog = window.search.open()
    qtbot.keyClicks(dialog.query_edit, "ce")
    assert not dialog.is_searching()
    assert "at least 3 characters" in dialog.summary_label.text()
    dialog.query_edit.setText('"NEAR(* -x')
    qtbot.waitUntil(lambda: not dialog.is_searching(), timeout=5000)
    assert dialog.model.rowCount() == 0 and dialog.summary_label.text() == "No match."


def test_highlight_runs_cover_the_text_in_order() -> None:
    marked = Marked("Certificate expired", ((0, 4), (12, 15)))
    assert runs(marked) == [("Cert", True), ("ificate ", False), ("exp", True), ("ired", False)]
    assert "".join(piece for piece, _ in runs(marked)) == marked.text


def test_the_window_shows_the_newest_matches_and_says_more_exist(qtbot, window, clock) -> None:  # type: ignore[no-untyped-def]
    _record(window, clock)
    dialog = window.search.open()
    _search(qtbot, dialog, "latency")
    results = dialog.last_results
    assert results is not None and results.truncated and results.hit_count == LIMIT
    assert "newest shown; add a word to narrow" in dialog.summary_label.text()
    newest = dialog.model.groups()[0].hits[-1]
    assert newest.marked.text == f"orders latency later {FIRST_SCREEN_PLUS - 1}"


def test_a_review_match_opens_the_review_and_an_entry_the_timeline(qtbot, window, clock) -> None:  # type: ignore[no-untyped-def]
    from commander.services.review import ReviewService

    old_id, _, _ = _record(window, clock)
    ReviewService(window._ws).set_field(old_id, "primary_cause", "Renewal cron silently broken")
    dialog = window.search.open()
    _search(qtbot, dialog, "cron silently")
    assert dialog.model.hit_at(dialog.view.currentIndex()).kind == "review"
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    tabs = window.review.tabs
    assert window.current_incident().id == old_id
    assert tabs.currentWidget() is not window.timeline_panel
    dialog.query_edit.clear()
    _search(qtbot, dialog, "edge gateway")
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert tabs.currentWidget() is window.timeline_panel


def test_a_runbook_step_match_is_labelled_and_opens_the_runbook(qtbot, window, clock) -> None:  # type: ignore[no-untyped-def]
    from commander.services.checklists import ChecklistService

    old_id, _, _ = _record(window, clock)
    ChecklistService(window._ws).tick(old_id, "cert.certificates")
    window.refresh()
    dialog = window.search.open()
    _search(qtbot, dialog, "expiry across system")
    hit = dialog.model.hit_at(dialog.view.currentIndex())
    assert hit.kind == "runbook" and hit.label == "Runbook step"
    current = dialog.view.currentIndex()
    where = dialog.model.index(current.row(), COL_WHERE, current.parent())
    assert where.data() == "Runbook step"
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert window.current_incident().id == old_id
    assert window.checklists.runbook_panel.isVisible()
    assert window.checklists.runbook_panel.current_key() == "cert.certificates"
