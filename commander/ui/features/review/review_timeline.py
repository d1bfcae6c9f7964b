"""The Review tab's timeline: the key events first, the whole timeline one tick away.

A review walks through what happened; the entries the team marked key during the incident
are where that walk starts, so with any key event marked the view opens on them alone
("Key events only", ticked). Unticked, it is the Timeline tab's model of the newest entries,
struck and amended shown the same way, read-only: a review reads, the Timeline tab edits.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.entry_kinds import KEY_ICON
from commander.core.records import TimelineEntry
from commander.ui.common.kind_filter import KindTagDelegate
from commander.ui.features.review.review_meeting import MUTED_STYLE
from commander.ui.features.review.review_record import timeline_note
from commander.ui.features.timeline.timeline_model import (
    COL_ACTION,
    COL_AUTHOR,
    COL_EVENT,
    COL_OWNER,
    COL_TIME,
    TimelineModel,
)


class ReviewTimeline(QWidget):
    """The checkbox, the table and the note under it, for one incident at a time."""

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._entries: list[TimelineEntry] = []
        self._key: list[TimelineEntry] = []
        self._total = 0
        self._declared_at: datetime | None = None
        self._incident_id: str | None = None
        self.key_only = QCheckBox(f"{KEY_ICON} Key events only", self)
        self.key_only.setAccessibleName("Show key events only")
        self.key_only.toggled.connect(lambda _: self._show())
        self.view = QTableView(self)
        self.view.setAccessibleName("Incident timeline")
        self.view.setModel(model)
        self.view.setItemDelegateForColumn(COL_EVENT, KindTagDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        self.view.setColumnHidden(COL_AUTHOR, True)  # the procedure's four columns
        for column, width in ((COL_TIME, 80), (COL_ACTION, 130), (COL_OWNER, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_EVENT, QHeaderView.ResizeMode.Stretch)
        self.view.setMinimumHeight(200)
        self.view.setMaximumHeight(280)
        self.note = QLabel(self)
        self.note.setAccessibleName("Timeline note")
        self.note.setStyleSheet(MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key_only)
        layout.addWidget(self.view)
        layout.addWidget(self.note)

    def load(
        self,
        incident_id: str,
        entries: list[TimelineEntry],
        total: int,
        key_events: list[TimelineEntry],
        declared_at: datetime,
    ) -> None:
        """Show an incident's newest ``entries`` (of ``total``) and its key events; a new
        incident with key events opens on them."""
        first = incident_id != self._incident_id
        self._incident_id = incident_id
        self._entries, self._total, self._key = entries, total, key_events
        self._declared_at = declared_at
        self.key_only.setText(f"{KEY_ICON} Key events only ({len(key_events)})")
        self.key_only.setEnabled(bool(key_events))
        self.key_only.blockSignals(True)
        if first or not key_events:
            self.key_only.setChecked(bool(key_events))
        self.key_only.blockSignals(False)
        self._show()

    def _show(self) -> None:
        key_only = self.key_only.isChecked() and bool(self._key)
        self.model.set_entries(self._key if key_only else self._entries, self._declared_at)
        self.view.scrollToTop()
        if key_only:
            count = len(self._key)
            self.note.setText(
                f"{count:,} key event{'' if count == 1 else 's'} of {self._total:,} entries; "
                "untick “Key events only” for every entry."
            )
        else:
            self.note.setText(timeline_note(len(self._entries), self._total))
        self.note.setVisible(bool(self.note.text()))
