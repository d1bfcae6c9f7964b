"""The Review tab: the post-incident review of the current incident, in the procedure's order.

At the top, read-only, what the record already says (numbers, team, timeline); then the
review meeting (scheduled against the one-week deadline); then one text box per section of the
procedure's template, autosaved (a short pause after typing, and on leaving the box) as ops, so
the review syncs like the rest of the record; then the incident's action items.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.core.review import REVIEW_HINTS, REVIEW_SECTIONS, ActionItem
from commander.services.action_items import ActionItemService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.ui.common.zones import FollowsZone
from commander.ui.features.review.action_item_model import COL_INCIDENT, COL_TITLE, ActionItemModel
from commander.ui.features.review.review_conflicts import ConflictNote, stacked
from commander.ui.features.review.review_meeting import MUTED_STYLE, WARN_STYLE, MeetingBox
from commander.ui.features.review.review_record import (
    TIMELINE_LIMIT,
    summary_html,
    team_html,
)
from commander.ui.features.review.review_timeline import ReviewTimeline
from commander.ui.features.review.review_versions_dialog import ReviewVersionsDialog
from commander.ui.features.timeline.timeline_model import TimelineModel

AUTOSAVE_MS = 800
POLL_MS = 1500
EDITOR_HEIGHT = 64


class ReviewHost(Protocol):
    def new_item(self, entry_id: str | None = None) -> object: ...
    def edit_item(self, item: ActionItem) -> object: ...
    def export_ics(self) -> object: ...


class ReviewPanel(QWidget, FollowsZone):
    """Signals: ``sig_local_change`` after a write; ``sig_message(str)`` for the status bar."""

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        review: ReviewService,
        items: ActionItemService,
        incidents: IncidentService,
        roster: RosterService,
        host: ReviewHost,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._review = review
        self._items = items
        self._incidents = incidents
        self._roster = roster
        self._host = host
        self._zone = review.workspace.zone
        self._incident: Incident | None = None
        self._dirty: set[str] = set()
        self._last_seq = incidents.last_seq()
        self.editors: dict[str, QPlainTextEdit] = {}
        self.notes: dict[str, ConflictNote] = {}
        self.versions_dialog: ReviewVersionsDialog | None = None
        self.items_model = ActionItemModel(self)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_pending)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self._setup_ui()

    # -- building --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setAccessibleName("Review")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Review sections")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self.scroll_area)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(10)

        record = QGroupBox("From the record (read-only)", body)
        record_layout = QVBoxLayout(record)
        self.summary_label = QLabel(record)
        self.summary_label.setAccessibleName("Incident summary from the record")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.team_label = QLabel(record)
        self.team_label.setAccessibleName("Roles and handoffs")
        self.team_label.setWordWrap(True)
        self.team_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The Timeline tab's model, read-only, opening on the key events (review_timeline).
        self.timeline_model = TimelineModel(self._zone, self)
        self.timeline = ReviewTimeline(self.timeline_model, record)
        self.timeline_view, self.timeline_note = self.timeline.view, self.timeline.note
        record_layout.addWidget(self.summary_label)
        record_layout.addWidget(_caption("Roles and handoffs", record))
        record_layout.addWidget(self.team_label)
        record_layout.addWidget(_caption("Timeline", record))
        record_layout.addWidget(self.timeline)
        layout.addWidget(record)

        self.meeting = MeetingBox(self._review, lambda: self._host.export_ics(), body)
        self.meeting.sig_local_change.connect(self.sig_local_change)
        self.meeting.sig_message.connect(self.sig_message)
        layout.addWidget(self.meeting)
        for title, fields in REVIEW_SECTIONS:
            box = QGroupBox(title, body)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for key, label in fields:
                editor = QPlainTextEdit(box)
                editor.setAccessibleName(label)
                editor.setPlaceholderText(REVIEW_HINTS[key])
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(EDITOR_HEIGHT)
                editor.textChanged.connect(lambda key=key: self._on_edited(key))
                editor.installEventFilter(self)
                self.editors[key] = editor
                note = ConflictNote(label, box)
                note.sig_compare.connect(lambda key=key: self.compare(key))
                self.notes[key] = note
                form.addRow(label, stacked(editor, note, box))
            layout.addWidget(box)
        layout.addWidget(self._items_box(body))
        layout.addStretch(1)
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)
        self.save_label = QLabel(self)
        self.save_label.setAccessibleName("Autosave state")
        self.save_label.setStyleSheet(MUTED_STYLE)
        self.save_label.setContentsMargins(10, 2, 10, 4)
        outer.addWidget(self.save_label)

    def _items_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Action items", parent)
        layout = QVBoxLayout(box)
        self.items_view = QTableView(box)
        self.items_view.setAccessibleName("Action items of this incident")
        self.items_view.setModel(self.items_model)
        self.items_view.setColumnHidden(COL_INCIDENT, True)
        self.items_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items_view.verticalHeader().setVisible(False)
        header = self.items_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.items_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.items_view.setMinimumHeight(170)
        self.items_view.doubleClicked.connect(
            lambda index: self._host.edit_item(self.items_model.item_at(index.row()))
        )
        layout.addWidget(self.items_view)
        row = QHBoxLayout()
        self.new_item_button = QPushButton("&New action item…", box)
        self.new_item_button.setAccessibleName("New action item")
        self.new_item_button.clicked.connect(lambda: self._host.new_item())
        self.edit_item_button = QPushButton("&Edit…", box)
        self.edit_item_button.setAccessibleName("Edit action item")
        self.edit_item_button.clicked.connect(self.edit_current_item)
        row.addWidget(self.new_item_button)
        row.addWidget(self.edit_item_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def edit_current_item(self) -> object:
        index = self.items_view.currentIndex()
        if not index.isValid():
            self.sig_message.emit("Select an action item to edit")
            return None
        return self._host.edit_item(self.items_model.item_at(index.row()))

    # -- the incident ----------------------------------------------------------------------

    @property
    def incident(self) -> Incident | None:
        return self._incident

    def set_incident(self, incident: Incident | None) -> None:
        """Show ``incident``; the reads wait until the tab is on screen (``showEvent``)."""
        same = incident is not None and self._incident is not None
        same = same and incident.id == self._incident.id  # type: ignore[union-attr]
        if not same:
            self.save_pending()
        self._incident = incident
        if incident is None:
            self.poll_timer.stop()
            return
        if not same:
            self._load_fields(force=True)
        if self.isVisible():
            self.reload()
            self.poll_timer.start()

    def reload(self, *, timeline: bool = True) -> None:
        """Re-read everything but the text being edited (the timeline only if asked)."""
        incident = self._incident
        if incident is None:
            return
        try:
            fresh = self._incidents.get(incident.id)
            metrics = self._review.metrics(incident.id)
            history = self._roster.history(incident.id)
            names = {role.key: role.name for role in self._roster.roles()}
            if timeline:
                entries, total = self._review.timeline(incident.id, last=TIMELINE_LIMIT)
                key_events = self._review.key_events(incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self._incident = fresh
        self.summary_label.setText(summary_html(fresh, metrics, self._zone))
        self.team_label.setText(team_html(history, names, self._zone))
        if timeline:
            self.timeline.load(incident.id, entries, total, key_events, fresh.declared_at)
        self._load_fields(force=False)
        self.meeting.load(incident.id)
        self.items_model.set_items(self._items.action_items(incident.id), {}, self._items.today())

    def _load_fields(self, *, force: bool) -> None:
        if self._incident is None:
            return
        fields = self._review.review_fields(self._incident.id)
        for key, editor in self.editors.items():
            if not force and (key in self._dirty or editor.hasFocus()):
                continue  # never overwrite what someone is typing
            if editor.toPlainText() != fields[key]:
                editor.blockSignals(True)
                editor.setPlainText(fields[key])
                editor.blockSignals(False)
        if force:
            self._dirty.clear()
            self.save_label.setText("")
        self._load_conflicts()

    # -- sections edited at the same time elsewhere ----------------------------------------

    def _load_conflicts(self) -> None:
        if self._incident is None:
            return
        try:
            found = self._review.competing_versions(self._incident.id)
        except CommanderError:
            return
        now = self._review.workspace.clock.now()
        for key, note in self.notes.items():
            note.show_versions(found.get(key, []), self._zone, now)

    def compare(self, key: str) -> ReviewVersionsDialog | None:
        """Open the side-by-side comparison of ``key``'s versions (saving typing first)."""
        if self._incident is None or not self.save_pending():
            return None
        dialog = ReviewVersionsDialog(self._review, self._incident.id, key, self)
        dialog.accepted.connect(lambda: self._settled(key, dialog.chosen))
        self.versions_dialog = dialog
        dialog.open()
        return dialog

    def _settled(self, key: str, text: str | None) -> None:
        if text is not None:
            editor = self.editors[key]
            editor.blockSignals(True)
            editor.setPlainText(text)
            editor.blockSignals(False)
        self._load_conflicts()
        self.sig_message.emit("Section settled; the other versions stay in the op log")
        self.sig_local_change.emit()

    # -- autosave --------------------------------------------------------------------------

    def _on_edited(self, key: str) -> None:
        self._dirty.add(key)
        self.save_label.setText("Editing…")
        self.autosave_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QPlainTextEdit):
            self.save_pending()
        return super().eventFilter(watched, event)

    def save_pending(self) -> bool:
        """Write every edited section now; False (and a message) if one was refused."""
        self.autosave_timer.stop()
        if self._incident is None or not self._dirty:
            return True
        wrote = False
        for key in [k for k in self.editors if k in self._dirty]:
            try:
                changes = self._review.set_field(
                    self._incident.id, key, self.editors[key].toPlainText()
                )
            except CommanderError as err:
                self.save_label.setText(str(err))
                self.save_label.setStyleSheet(WARN_STYLE)
                return False
            self._dirty.discard(key)
            wrote = wrote or bool(changes)
        now = self._review.workspace.clock.now().astimezone(self._zone)
        self.save_label.setStyleSheet(MUTED_STYLE)
        self.save_label.setText(f"All changes saved {now:%H:%M:%S}")
        if wrote:
            self.sig_local_change.emit()
        return True

    # -- changes from elsewhere ------------------------------------------------------------

    def poll(self) -> None:
        """Pick up changes from other laptops or the CLI while the tab is on screen."""
        if self._incident is None or not self.isVisible():
            return
        try:
            changes = self._incidents.changes_since(self._last_seq)
        except CommanderError:
            return
        if not changes:
            return
        self._last_seq = changes.last_seq
        if self._incident.id in changes.incident_ids:
            self.reload(timeline=self._incident.id in changes.entry_ids)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self._incident is not None:
            self._last_seq = self._incidents.last_seq()
            self.reload()
            self.poll_timer.start()

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.save_pending()
        self.poll_timer.stop()
        super().hideEvent(event)


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(f"<b>{text}</b>", parent)
    label.setStyleSheet(MUTED_STYLE)
    return label
