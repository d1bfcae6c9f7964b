"""The live timeline: filter, table and the scribe's quick-entry bar (``quick_entry.py``).

A view left at the newest entry stays there, like a terminal: entries logged here or elsewhere
scroll in, and so does the last row when the table gets shorter (a dock opens). Service calls
are synchronous on the GUI thread on purpose: a local SQLite write takes about half a ms.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.records import ChangeSet, Incident, TimelineEntry
from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.kind_filter import KindFilterBox, KindTagDelegate
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role
from commander.ui.features.attachments.capture import TimelineCapture
from commander.ui.features.attachments.thumbnails import ThumbnailStrip
from commander.ui.features.timeline.entry_dialogs import AmendDialog, StrikeDialog
from commander.ui.features.timeline.quick_entry import QuickEntryBar
from commander.ui.features.timeline.timeline_model import (
    COL_ACTION,
    COL_AUTHOR,
    COL_EVENT,
    COL_OWNER,
    COL_TIME,
    TimelineModel,
)
from commander.ui.features.timeline.timeline_search import warm_index
from commander.ui.features.timeline.timeline_store import TimelineStore, load_store
from commander.ui.features.timeline.timeline_text import as_markdown, as_tsv

# More changed entries than this in one poll: reload instead of inserting one by one.
RELOAD_THRESHOLD = 2000
FIRST_SCREEN = 400  # rows loaded before the first paint; the rest follow from a worker


class TimelinePanel(QWidget):
    """Timeline of one incident, with filter and quick entry.

    Signals:
        sig_local_change: this panel wrote; the window refreshes (as for external changes).
        sig_own_change(ChangeSet): an entry logged here is already shown; the window applies
            the rest of what that write changed, and its poll skips those ops.
        sig_message(str): a short note for the status bar.
    """

    sig_focus_requested = Signal()  # the filter or quick entry was asked for (show the panel)
    sig_local_change = Signal()
    sig_own_change = Signal(object)
    sig_message = Signal(str)

    def __init__(
        self,
        service: IncidentService,
        model: TimelineModel,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self.model = model
        self._incident: Incident | None = None
        self._generation = 0  # bumps on every incident switch; stale loads are dropped
        self._loading = False
        self._deferred: set[str] = set()  # changes to entries the second step has not brought
        self._reveal = ""  # an entry to select once the older entries have arrived
        self._following = True  # the view shows the newest entry; keep it so
        self.active_dialog: FormDialog | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Timeline")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)

        filter_row = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setAccessibleName("Filter timeline")
        self.filter_edit.setPlaceholderText("Filter (Ctrl+F) — event, action, owner, author")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_filter = KindFilterBox(self)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Entry count")
        set_role(self.count_label, "muted")
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.kind_filter)
        filter_row.addWidget(self.count_label)
        layout.addLayout(filter_row)

        self.table = QTableView(self)
        self.table.setAccessibleName("Timeline entries")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COL_EVENT, KindTagDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        # Uniform rows: sizing 100,000 rows to their contents would take seconds.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COL_TIME, Qt.SortOrder.AscendingOrder)
        header.setHighlightSections(False)
        for column, width in (
            (COL_TIME, 150),
            (COL_ACTION, 190),
            (COL_OWNER, 110),
            (COL_AUTHOR, 70),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))  # large text
        header.setSectionResizeMode(COL_EVENT, QHeaderView.ResizeMode.Stretch)
        header.sectionClicked.connect(self._on_header_clicked)
        layout.addWidget(self.table, 1)
        files = AttachmentService(self._service.workspace)
        self.thumbnails = ThumbnailStrip(files, self._tasks, self)
        layout.addWidget(self.thumbnails)
        self.capture = TimelineCapture(self.table, files, self._tasks)
        self.capture.sig_attached.connect(self.sig_local_change)
        self.capture.sig_message.connect(self.sig_message)
        bar = self.table.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_scroll_range_changed)

        self.quick_entry = QuickEntryBar(self._service, self)
        layout.addWidget(self.quick_entry)

        self.quick_entry.sig_logged.connect(self._on_logged)
        self.quick_entry.sig_local_change.connect(self.sig_local_change)
        self.quick_entry.sig_message.connect(self.sig_message)
        self.quick_entry.sig_focus_requested.connect(self.sig_focus_requested)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.kind_filter.currentIndexChanged.connect(
            lambda _: self.model.set_kind_filter(self.kind_filter.value())
        )
        clear_filter = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter_edit)
        clear_filter.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear_filter.activated.connect(self.filter_edit.clear)
        self.model.modelReset.connect(self._update_count)
        self.model.layoutChanged.connect(self._update_count)  # a filter
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsRemoved.connect(self._update_count)

    # -- the incident ----------------------------------------------------------------------

    @property
    def incident(self) -> Incident | None:
        return self._incident

    def set_incident(self, incident: Incident | None) -> None:
        """Show ``incident``'s timeline in two steps.

        The newest ``FIRST_SCREEN`` entries load at once (a few ms), so the table paints
        immediately; a long timeline's older entries follow from a worker thread and are
        prepended as rows, without a reset.
        """
        self._incident = incident
        self._generation += 1
        self._loading = False
        self._deferred.clear()
        self._reveal = ""
        self._following = True
        self.quick_entry.set_incident(incident)
        self.capture.incident_id = incident.id if incident else None
        self.thumbnails.set_incident(incident.id if incident else None)
        if incident is None:
            self.model.clear()
            return
        newest = self._service.timeline(incident.id, last=FIRST_SCREEN)
        self.model.set_entries(newest, incident.declared_at)
        self._fit_time_column()
        if not self.model.is_descending():
            self.table.scrollToBottom()
        if len(newest) == FIRST_SCREEN:
            self._load_older(incident.id, newest[0].sort_key)

    def _load_older(self, incident_id: str, before: tuple[int, str, str]) -> None:
        generation = self._generation
        service = self._service
        self._loading = True

        def work() -> TimelineStore:
            store = load_store(service, incident_id, before=before)
            warm_index(store)
            return store

        def done(result: TimelineStore) -> None:
            if generation != self._generation:
                return  # the user moved on to another incident
            self._loading = False
            bar = self.table.verticalScrollBar()
            from_bottom = bar.maximum() - bar.value()
            self.model.add_older(result)
            if not self.model.is_descending():
                bar.setValue(bar.maximum() - from_bottom)  # keep the rows in view still
            self._fit_time_column()
            if self._reveal:
                self.select_entry(self._reveal)
                self._reveal = ""
            if self._deferred:
                ids, self._deferred = self._deferred, set()
                self.apply_entry_changes(ids)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._loading = False
                self.sig_message.emit(f"Could not load older entries: {exc}")

        self._tasks.submit(work, done, failed)

    def is_loading(self) -> bool:
        """Whether older entries are still on their way from the worker."""
        return self._loading

    def _fit_time_column(self) -> None:
        sample = "2026-12-31 23:59:59" if self.model.spans_other_days() else "23:59:59"
        width = self.table.fontMetrics().horizontalAdvance(sample) + 28
        self.table.horizontalHeader().resizeSection(COL_TIME, width)

    def apply_entry_changes(self, entry_ids: set[str]) -> None:
        """Bring in entries added or changed elsewhere (or here, via the refresh path)."""
        if self._incident is None or not entry_ids:
            return
        if len(entry_ids) > RELOAD_THRESHOLD:
            self.set_incident(self._incident)
            return
        following = self.is_following()
        entries = self._service.entries(sorted(entry_ids))
        if self._loading:
            # Entries older than the first screen arrive with the worker's load; a change to
            # one of them waits until then, so it is neither lost nor inserted twice.
            first = self.model.first_key()
            self._deferred.update(e.id for e in entries if first is not None and e.sort_key < first)
            entries = [e for e in entries if first is None or e.sort_key >= first]
        self.model.apply(entries)
        self.thumbnails.refresh()
        if following:
            self.table.scrollToBottom()

    # -- following the newest entry ---------------------------------------------------------

    def is_following(self) -> bool:
        """Whether the view is at the newest entry (the bottom, in time order)."""
        return self._following and not self.model.is_descending()

    def _on_scrolled(self, value: int) -> None:
        # Only where the user (or a scroll to an entry) puts the view changes this; a range
        # change while following moves the view with it (below), so it stays True.
        self._following = value >= self.table.verticalScrollBar().maximum() - 2

    def _on_scroll_range_changed(self, _minimum: int, maximum: int) -> None:
        if self.is_following():
            self.table.verticalScrollBar().setValue(maximum)
        self._following = self._following or not maximum

    # -- entries logged from the quick-entry bar -------------------------------------------

    def _on_logged(self, entry: TimelineEntry, changes: ChangeSet) -> None:
        # The write returned the committed entry and its ChangeSet: that is the refresh for
        # it (no read back, no second apply); the window's poll skips these ops.
        self.model.apply([entry])
        self.scroll_to_entry(entry.id)
        self.sig_own_change.emit(changes)

    def scroll_to_entry(self, entry_id: str) -> None:
        row = self.model.row_of(entry_id)
        if row is not None:
            self.table.scrollTo(self.model.index(row, COL_EVENT))

    # -- filter and sort -------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.sig_focus_requested.emit()  # first: a hidden line edit takes no focus
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_filter_changed(self, text: str) -> None:
        self.model.set_filter(text)

    def _on_header_clicked(self, section: int) -> None:
        order = (
            Qt.SortOrder.AscendingOrder
            if self.model.is_descending()
            else Qt.SortOrder.DescendingOrder
        )
        self.model.sort(COL_TIME, order)
        self.table.horizontalHeader().setSortIndicator(COL_TIME, order)
        del section  # any header sorts by time: a log has one meaningful order

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        text = f"{total:,} entries" if shown == total else f"{shown:,} of {total:,} entries"
        self.count_label.setText(text)

    # -- selection, clipboard, corrections -------------------------------------------------

    def selected_entries(self) -> list[TimelineEntry]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.entry_at(row) for row in rows]

    def current_entry(self) -> TimelineEntry | None:
        index = self.table.currentIndex()
        if index.isValid():
            return self.model.entry_at(index.row())
        selected = self.selected_entries()
        return selected[-1] if selected else None

    def select_entry(self, entry_id: str) -> None:
        row = self.model.row_of(entry_id)
        if row is None:
            return
        index = self.model.index(row, COL_EVENT)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def reveal_entry(self, entry_id: str) -> None:
        """Select ``entry_id`` and scroll to it (a search result): the filter is cleared if
        it hides the entry, and an older entry still loading is selected when it arrives."""
        if self.model.row_of(entry_id) is None and self.filter_edit.text():
            self.filter_edit.clear()
        if self.model.row_of(entry_id) is None and self._loading:
            self._reveal = entry_id
            return
        self.select_entry(entry_id)

    def _rows_for_copy(self) -> list[TimelineEntry]:
        """The selected rows, or every shown row when nothing is selected."""
        selected = self.selected_entries()
        if selected:
            return selected
        return [self.model.entry_at(row) for row in range(self.model.rowCount())]

    def copy_rows(self) -> str:
        text = as_tsv(self._rows_for_copy(), self.model.format_time)
        QGuiApplication.clipboard().setText(text)
        self.sig_message.emit(f"Copied {text.count(chr(10))} rows")
        return text

    def copy_markdown(self) -> str:
        text = as_markdown(self._rows_for_copy(), self.model.format_time)
        QGuiApplication.clipboard().setText(text)
        self.sig_message.emit(f"Copied {text.count(chr(10)) - 2} rows as Markdown")
        return text

    def strike_current(self) -> StrikeDialog | None:
        entry = self.current_entry()
        if entry is None:
            self.sig_message.emit("Select an entry to strike")
            return None
        dialog = StrikeDialog(entry, lambda why: self._service.strike(entry.id, why), self.window())
        self._open(dialog)
        return dialog

    def amend_current(self) -> AmendDialog | None:
        entry = self.current_entry()
        if entry is None:
            self.sig_message.emit("Select an entry to amend")
            return None
        dialog = AmendDialog(
            entry,
            lambda event, action: self._service.amend(entry.id, event=event, action=action),
            self.window(),
        )
        self._open(dialog)
        return dialog

    def _open(self, dialog: FormDialog) -> None:
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = dialog
        dialog.accepted.connect(self.sig_local_change)
        dialog.open()
