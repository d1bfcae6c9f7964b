"""Action items as a table: overdue ones in warning colour, sortable by any column.

``SORT_ROLE`` gives each cell a value that sorts as people expect (dates as dates, statuses
in workflow order); the service's own order (overdue first) is the rows' natural order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from commander.core.review import STATUS_LABELS, TERM_LABELS, ActionItem, ItemStatus, Term
from commander.ui.common.columns import ColumnsTableModel

COLUMNS = ("Due", "Incident", "Action item", "Owner", "Term", "Status", "Tracker")
COL_DUE, COL_INCIDENT, COL_TITLE, COL_OWNER, COL_TERM, COL_STATUS, COL_TRACKER = range(len(COLUMNS))
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_COLOR = QColor("#b00020")
FINISHED_COLOR = QColor("#6b7575")

_Index = QModelIndex | QPersistentModelIndex


class ActionItemModel(ColumnsTableModel):
    """Rows of action items, in the order given (the service sorts overdue first)."""

    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ActionItem] = []
        self._refs: dict[str, str] = {}
        self._today = date.today()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: list[ActionItem], refs: dict[str, str], today: date) -> None:
        self.beginResetModel()
        self._items, self._refs, self._today = list(items), dict(refs), today
        self.endResetModel()

    def item_at(self, row: int) -> ActionItem:
        return self._items[row]

    def row_of(self, item_id: str) -> int | None:
        return next((r for r, item in enumerate(self._items) if item.id == item_id), None)

    @property
    def items(self) -> list[ActionItem]:
        return list(self._items)

    def _row_count(self) -> int:
        return len(self._items)

    def _status_text(self, item: ActionItem) -> str:
        label = STATUS_LABELS.get(item.status, item.status)
        return f"Overdue · {label}" if item.is_overdue(self._today) else label

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            return self._sort_value(item, index.row(), column)
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_TRACKER and item.tracker_url:
                return item.tracker_url
            if column == COL_TITLE:
                return item.title
        overdue = item.is_overdue(self._today)
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and column in (COL_DUE, COL_STATUS):
                return QBrush(OVERDUE_COLOR)
            if item.finished:
                return QBrush(FINISHED_COLOR)
        if role == Qt.ItemDataRole.FontRole and overdue and column in (COL_DUE, COL_STATUS):
            return self._bold
        return None

    def _display(self, item: ActionItem, column: int) -> str:
        if column == COL_DUE:
            return item.due.isoformat()
        if column == COL_INCIDENT:
            return self._refs.get(item.incident_id, "")
        if column == COL_TITLE:
            return item.title
        if column == COL_OWNER:
            return item.owner
        if column == COL_TERM:
            return TERM_LABELS.get(item.term, item.term)
        if column == COL_STATUS:
            return self._status_text(item)
        return "link" if item.tracker_url else ""

    def _sort_value(self, item: ActionItem, row: int, column: int) -> Any:
        if column == COL_DUE:
            return item.due.toordinal()
        if column == COL_TERM:
            return Term.ALL.index(item.term) if item.term in Term.ALL else 9
        if column == COL_STATUS:
            rank = ItemStatus.ALL.index(item.status) if item.status in ItemStatus.ALL else 9
            return -1 if item.is_overdue(self._today) else rank
        return self._display(item, column).lower()
