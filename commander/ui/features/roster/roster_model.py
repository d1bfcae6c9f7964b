"""The roster as a table: role, holder (or "unassigned" in warning colour), since when."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from commander.core.roles import RosterLine
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.themes import qcolour
from commander.ui.common.zones import FollowsZone

COLUMNS = ("Role", "Holder", "Since")
COL_ROLE, COL_HOLDER, COL_SINCE = range(len(COLUMNS))
ROLE_KEY = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex


class RosterModel(ColumnsTableModel, FollowsZone):
    """One row per role line of the roster, in the roster's order."""

    COLUMNS = COLUMNS

    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._lines: list[RosterLine] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_lines(self, lines: list[RosterLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def line_at(self, row: int) -> RosterLine:
        return self._lines[row]

    def row_of(self, role_key: str) -> int | None:
        return next((r for r, line in enumerate(self._lines) if line.role.key == role_key), None)

    def _row_count(self) -> int:
        return len(self._lines)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        column = index.column()
        holder = line.holder if line.assigned else None
        missing = holder is None and line.required
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_ROLE:
                return line.role.name
            if column == COL_HOLDER:
                return holder.holder_text() if holder is not None else "unassigned"
            return holder.at.astimezone(self._zone).strftime("%H:%M") if holder else ""
        if role == ROLE_KEY:
            return line.role.key
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_ROLE:
                return line.role.description
            if column == COL_HOLDER and holder is not None and holder.note:
                return f"Handoff note: {holder.note}"
            if column == COL_HOLDER and missing:
                return "The procedure expects this role for this incident"
        if column == COL_HOLDER and missing:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(qcolour("warning"))
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        return None
