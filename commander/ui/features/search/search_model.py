"""Search results as a two-level tree: each incident, and under it the matches it holds.

Top-level rows are incidents (reference and date, severity and status, title); their
children are the matches (time, where in the record, the text with the match marked). The
text column hands its ``Marked`` value to the highlight delegate through ``MARKED_ROLE``.

A ``QStandardItemModel`` filled once per query: the items keep their data in C++, so a
repaint asks Python nothing (a Python ``data()`` answering a dozen roles per cell made each
repaint of 200 matches cost two frames).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from commander.services.search import Hit, IncidentHits, SearchResults
from commander.ui.common.themes import qcolour
from commander.ui.common.zones import FollowsZone

_Index = QModelIndex | QPersistentModelIndex
COL_WHEN, COL_WHERE, COL_TEXT = range(3)
MARKED_ROLE = Qt.ItemDataRole.UserRole + 1


def _item(text: str, tip: str = "") -> QStandardItem:
    item = QStandardItem(text)  # editable by default, but the view has no edit triggers
    if tip:
        item.setToolTip(tip)
    return item


class SearchResultsModel(QStandardItemModel, FollowsZone):
    """The groups of one ``SearchResults``; replaced whole by each new query."""

    HEADERS = ("When", "Where", "Match")

    def __init__(self, zone: Any, parent: Any = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self._zone = zone
        self._groups: tuple[IncidentHits, ...] = ()
        self._bold = QFont()
        self._bold.setBold(True)
        self.setHorizontalHeaderLabels(list(self.HEADERS))

    def set_results(self, results: SearchResults | None) -> None:
        self.removeRows(0, self.rowCount())
        self._groups = () if results is None else results.groups
        muted = qcolour("muted")
        for group in self._groups:
            self.appendRow(self._group_row(group, muted))

    def _local(self, when: Any, fmt: str) -> str:
        return str(when.astimezone(self._zone).strftime(fmt))

    def _group_row(self, group: IncidentHits, muted: Any) -> list[QStandardItem]:
        count = len(group.hits)
        tip = f"{group.ref}: {group.title}. Enter opens the incident."
        row = [
            _item(f"{group.ref}  {self._local(group.declared_at, '%Y-%m-%d')}", tip),
            _item(f"{group.severity} · {group.status}"),
            _item(f"{group.title}  ({count} match{'es' if count != 1 else ''})", tip),
        ]
        for item in row:
            item.setFont(self._bold)
        for hit in group.hits:
            row[0].appendRow(self._hit_row(hit, muted))
        return row

    def _hit_row(self, hit: Hit, muted: Any) -> list[QStandardItem]:
        where = "the timeline at this entry" if hit.entry_id else "the incident"
        tip = f"{hit.marked.text}\n\nEnter opens {where}."
        row = [
            _item(self._local(hit.at, "%Y-%m-%d %H:%M")),
            _item(hit.label),
            _item(hit.marked.text, tip),
        ]
        row[0].setForeground(muted)
        row[1].setForeground(muted)
        row[2].setData(hit.marked, MARKED_ROLE)
        return row

    def groups(self) -> tuple[IncidentHits, ...]:
        return self._groups

    def group_at(self, index: _Index) -> IncidentHits | None:
        """The incident of a row (its own, or its parent's for a match)."""
        if not index.isValid():
            return None
        parent = index.parent()
        return self._groups[parent.row() if parent.isValid() else index.row()]

    def hit_at(self, index: _Index) -> Hit | None:
        if not index.isValid() or not index.parent().isValid():
            return None
        return self._groups[index.parent().row()].hits[index.row()]
