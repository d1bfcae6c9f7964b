"""Search everything (Ctrl+Shift+F): type, and every incident's record is searched as you go.

A window of its own beside the main one (non-modal: the commander keeps working while it is
open). Each keystroke's query runs on a worker (the TaskRunner), at most one at a time: while
one runs, only the newest text waits, and results of a query that was overtaken are dropped,
so typing never waits for the index. Results are grouped by incident, the match highlighted;
Enter or a double-click opens the incident at that entry.

Signals:
    sig_open(str, str, str): incident id, entry id (a runbook step's key for a runbook match, empty
        for any other match outside the timeline) and the kind of record matched ("entry", ...).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.policy import Severity, Status
from commander.core.search_text import MIN_TERM, match_query
from commander.services.search import SearchFilters, SearchResults, SearchService
from commander.ui.common.highlight_delegate import HighlightDelegate
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role
from commander.ui.common.zones import FollowsZone
from commander.ui.features.search.search_model import (
    COL_TEXT,
    COL_WHEN,
    COL_WHERE,
    MARKED_ROLE,
    SearchResultsModel,
)

ANY = "Any"
LIMIT = 100  # matches a query shows: the newest; a narrower query finds older ones
NO_DATE = QDate(2000, 1, 1)  # the date edits' minimum, shown as "Any"
_NAVIGATION = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(ANY)
    edit.setDate(NO_DATE)
    return edit


class SearchDialog(QDialog, FollowsZone):
    """Query field, filters, and the results tree."""

    sig_open = Signal(str, str, str)

    def __init__(
        self, service: SearchService, zone: Any, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._zone = zone
        self._tasks = tasks
        self._running = False
        self._wanted: tuple[str, SearchFilters] | None = None
        self.last_results: SearchResults | None = None
        self.model = SearchResultsModel(zone, self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Search everything — Commander")
        self.setAccessibleName("Search everything")
        self.setModal(False)
        layout = QVBoxLayout(self)
        self.query_edit = QLineEdit(self)
        self.query_edit.setAccessibleName("Search")
        self.query_edit.setPlaceholderText(
            "Search every incident: titles, timeline, review, action items, messages, alerts"
        )
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.installEventFilter(self)
        layout.addWidget(self.query_edit)

        filters = QHBoxLayout()
        self.severity_box = QComboBox(self)
        self.severity_box.setAccessibleName("Severity")
        self.severity_box.addItems([ANY, *(s.value for s in Severity)])
        self.status_box = QComboBox(self)
        self.status_box.setAccessibleName("Status")
        self.status_box.addItems([ANY, *(s.value for s in Status)])
        self.service_edit = QLineEdit(self)
        self.service_edit.setAccessibleName("Service")
        self.service_edit.setPlaceholderText("any service")
        self.since_edit = _date_edit(self, "Declared from")
        self.until_edit = _date_edit(self, "Declared until")
        for text, widget in (
            ("Severity", self.severity_box),
            ("Status", self.status_box),
            ("Service", self.service_edit),
            ("Declared from", self.since_edit),
            ("to", self.until_edit),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget is self.service_edit else 0)
        layout.addLayout(filters)

        self.view = QTreeView(self)
        self.view.setAccessibleName("Search results")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)  # a few hundred rows, sized without measuring
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemDelegateForColumn(COL_TEXT, HighlightDelegate(MARKED_ROLE, self.view))
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(COL_WHEN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_WHERE, QHeaderView.ResizeMode.Interactive)
        metrics = self.fontMetrics()
        widest = metrics.horizontalAdvance("INC-20261128-K3F7QA  2026-11-28") * 1.15  # bold
        header.resizeSection(COL_WHEN, int(widest) + self.view.indentation() + 16)
        header.resizeSection(COL_WHERE, metrics.horizontalAdvance("Review: Contributing factors"))
        self.view.activated.connect(self._on_activated)  # Enter, or a double-click
        layout.addWidget(self.view, 1)

        self.summary_label = QLabel(f"Type at least {MIN_TERM} characters of a word.", self)
        self.summary_label.setAccessibleName("Search summary")
        set_role(self.summary_label, "muted")
        layout.addWidget(self.summary_label)

        self.query_edit.textChanged.connect(self.search)
        self.severity_box.currentIndexChanged.connect(self.search)
        self.status_box.currentIndexChanged.connect(self.search)
        self.service_edit.textChanged.connect(self.search)
        self.since_edit.dateChanged.connect(self.search)
        self.until_edit.dateChanged.connect(self.search)
        self.resize(980, 620)

    # -- querying ----------------------------------------------------------------------------

    def _day(self, edit: QDateEdit, *, after: bool) -> datetime | None:
        if edit.date() == NO_DATE:
            return None
        qdate = edit.date()
        day = date(qdate.year(), qdate.month(), qdate.day()) + timedelta(days=1 if after else 0)
        return datetime.combine(day, time(0, 0), tzinfo=self._zone)

    def filters(self) -> SearchFilters:
        """What the filter row says now; "to" is inclusive (up to the end of that day)."""
        severity = self.severity_box.currentText()
        status = self.status_box.currentText()
        return SearchFilters(
            severities=() if severity == ANY else (severity,),
            statuses=() if status == ANY else (status,),
            service=self.service_edit.text().strip(),
            since=self._day(self.since_edit, after=False),
            until=self._day(self.until_edit, after=True),
        )

    def search(self, *_args: object) -> None:
        """Search for what the field holds now (on a worker; the newest query wins)."""
        text = self.query_edit.text()
        try:
            match_query(text)
        except CommanderError as err:
            self._wanted = None
            self.last_results = None
            self.model.set_results(None)
            self.summary_label.setText(str(err) if text.strip() else "")
            return
        self._wanted = (text, self.filters())
        if not self._running:
            self._run_next()

    def _run_next(self) -> None:
        if self._wanted is None:
            return
        text, filters = self._wanted
        self._wanted = None
        self._running = True
        service = self._service
        self._tasks.submit(
            lambda: service.search(text, filters, limit=LIMIT), self._on_results, self._on_failed
        )

    def _on_results(self, results: SearchResults) -> None:
        self._running = False
        if self._wanted is not None:  # overtaken by newer typing: run that instead
            self._run_next()
            return
        self.last_results = results
        self.model.set_results(results)
        self.view.expandAll()
        if self.model.rowCount():
            first_hit = self.model.index(0, 0, self.model.index(0, 0))
            self.view.setCurrentIndex(first_hit if first_hit.isValid() else self.model.index(0, 0))
        self.summary_label.setText(results.summary() if results.groups else "No match.")

    def _on_failed(self, exc: Exception) -> None:
        self._running = False
        known = isinstance(exc, CommanderError)
        self.summary_label.setText(str(exc) if known else f"The search failed: {exc}")
        self._run_next()

    def is_searching(self) -> bool:
        """A query is running or waiting (tests wait for this to end)."""
        return self._running or self._wanted is not None

    # -- opening -----------------------------------------------------------------------------

    def _on_activated(self, index: QModelIndex) -> None:
        group = self.model.group_at(index)
        if group is None:
            return
        hit = self.model.hit_at(index)
        if hit is None:
            self.sig_open.emit(group.incident_id, "", "incident")
        else:
            # A timeline match opens at its entry, a runbook step's at its step.
            at = hit.entry_id or (hit.key.partition(":")[2] if hit.kind == "runbook" else "")
            self.sig_open.emit(group.incident_id, at, hit.kind)

    def open_current(self) -> None:
        self._on_activated(self.view.currentIndex())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the query field, ↑↓ move through the results and Enter opens the chosen one."""
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in _NAVIGATION:
                QApplication.sendEvent(self.view, event)
                return True
            if event.key() in _ENTER:
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def focus_query(self) -> None:
        self.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query_edit.selectAll()
