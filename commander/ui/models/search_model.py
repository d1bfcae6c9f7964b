"""Search results as a two-level tree: each incident, and under it the matches it holds.

Top-level rows are incidents (reference and date, severity and status, title); their
children are the matches (time, where in the record, the text with the match marked). The
text column hands its ``Marked`` value to the highlight delegate through ``MARKED_ROLE``.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from commander.services.search import Hit, IncidentHits, SearchResults
from commander.ui.themes import qcolour

_Index = QModelIndex | QPersistentModelIndex
COL_WHEN, COL_WHERE, COL_TEXT = range(3)
MARKED_ROLE = Qt.ItemDataRole.UserRole + 1
_ROOT = QModelIndex()  # the default parent: Qt's invisible root
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
# A repaint asks each cell for a dozen roles; the others are answered before any lookup.
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FONT, _FOREGROUND, int(MARKED_ROLE)})
_TOP = 0  # internalId of an incident row; a match row holds its group's index + 1


class SearchResultsModel(QAbstractItemModel):
    """The groups of one ``SearchResults``; replaced whole by each new query."""

    HEADERS = ("When", "Where", "Match")

    def __init__(self, zone: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone: ZoneInfo = zone
        self._groups: tuple[IncidentHits, ...] = ()
        self._texts: list[tuple[tuple[str, str, str], list[tuple[str, str, str]]]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_results(self, results: SearchResults | None) -> None:
        self.beginResetModel()  # a new query: every row is new
        self._groups = () if results is None else results.groups
        self._texts = [  # formatted once: a repaint asks for them again and again
            (self._group_texts(group), [self._hit_texts(hit) for hit in group.hits])
            for group in self._groups
        ]
        self.endResetModel()

    def groups(self) -> tuple[IncidentHits, ...]:
        return self._groups

    def group_at(self, index: _Index) -> IncidentHits | None:
        """The incident of a row (its own, or its parent's for a match)."""
        if not index.isValid():
            return None
        group = index.internalId() - 1 if index.internalId() != _TOP else index.row()
        return self._groups[group]

    def hit_at(self, index: _Index) -> Hit | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._groups[index.internalId() - 1].hits[index.row()]

    # -- the tree --------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(self.HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._groups):
                return QModelIndex()
            return self.createIndex(row, column, _TOP)
        if parent.internalId() != _TOP or row >= len(self._groups[parent.row()].hits):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: _Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._groups[parent.row()].hits)
        return 0

    def columnCount(self, parent: _Index = _ROOT) -> int:
        del parent
        return len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        parent = index.internalId()
        row, column = index.row(), index.column()
        if parent == _TOP:
            if role == _DISPLAY:
                return self._texts[row][0][column]
            return self._group_data(self._groups[row], column, role)
        if role == _DISPLAY:
            return self._texts[parent - 1][1][row][column]
        return self._hit_data(self._groups[parent - 1].hits[row], column, role)

    def _local(self, hit_or_group: Any, fmt: str) -> str:
        when = hit_or_group.at if isinstance(hit_or_group, Hit) else hit_or_group.declared_at
        return str(when.astimezone(self._zone).strftime(fmt))

    def _group_texts(self, group: IncidentHits) -> tuple[str, str, str]:
        count = len(group.hits)
        return (
            f"{group.ref}  {self._local(group, '%Y-%m-%d')}",
            f"{group.severity} · {group.status}",
            f"{group.title}  ({count} match{'es' if count != 1 else ''})",
        )

    def _hit_texts(self, hit: Hit) -> tuple[str, str, str]:
        return (self._local(hit, "%Y-%m-%d %H:%M"), hit.label, hit.marked.text)

    def _group_data(self, group: IncidentHits, column: int, role: int) -> Any:
        del column
        if role == _TOOLTIP:
            return f"{group.ref}: {group.title}. Enter opens the incident."
        if role == _FONT:
            return self._bold
        return None

    def _hit_data(self, hit: Hit, column: int, role: int) -> Any:
        if role == MARKED_ROLE and column == COL_TEXT:
            return hit.marked
        if role == _TOOLTIP:
            where = "the timeline at this entry" if hit.entry_id else "the incident"
            return f"{hit.marked.text}\n\nEnter opens {where}."
        if role == _FOREGROUND and column != COL_TEXT:
            return qcolour("muted")
        return None
