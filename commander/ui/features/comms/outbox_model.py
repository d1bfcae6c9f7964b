"""The outbox as a table: when, channel, audience, subject, state and the server's answer."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from commander.services.outbox import OutboxItem, OutboxState
from commander.ui.common.themes import qcolour
from commander.ui.common.zones import FollowsZone

COL_TIME, COL_STATE, COL_CHANNEL, COL_AUDIENCE, COL_SUBJECT, COL_ANSWER = range(6)
HEADERS = ("Time", "State", "Channel", "Audience", "Subject", "Answer / reason")

# Colour always comes with the state's words.
_STATE_ROLES = {  # theme colour roles: readable on light and dark backgrounds
    OutboxState.QUEUED: "warning",
    OutboxState.SENDING: "link",
    OutboxState.SENT: "ok",
    OutboxState.FAILED: "error",
}

_Index = QModelIndex | QPersistentModelIndex


def state_text(item: OutboxItem, zone: tzinfo) -> str:
    if item.state == OutboxState.SENT:
        when = item.finished_at.astimezone(zone).strftime("%H:%M") if item.finished_at else ""
        word = "Accepted" if item.answer.startswith("accepted by") else "Sent"
        return f"{word} {when}".strip()
    if item.state == OutboxState.QUEUED and item.attempts:
        when = item.next_attempt_at.astimezone(zone).strftime("%H:%M:%S")
        return f"Queued — retry at {when}"
    if item.state == OutboxState.SENDING and item.lease_expires_at is not None:
        # Held by a deliverer (maybe another process); retried by anyone only after this.
        when = item.lease_expires_at.astimezone(zone).strftime("%H:%M:%S")
        return f"Sending — held until {when}"
    return item.state.capitalize()


class OutboxModel(QAbstractTableModel, FollowsZone):
    """Outbox messages, newest first."""

    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._items: list[OutboxItem] = []

    def set_items(self, items: list[OutboxItem]) -> None:
        """Replace the rows; unchanged ids keep their rows and only changed cells repaint."""
        if [i.id for i in items] == [i.id for i in self._items]:
            for row, (old, new) in enumerate(zip(self._items, items, strict=True)):
                self._items[row] = new
                if old != new:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> OutboxItem:
        return self._items[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == COL_TIME:
                return item.created_at.astimezone(self._zone).strftime("%H:%M")
            if column == COL_CHANNEL:
                return item.channel.label
            if column == COL_AUDIENCE:
                return item.audience.label
            if column == COL_SUBJECT:
                return item.subject
            if column == COL_STATE:
                return state_text(item, self._zone)
            return item.answer or item.error
        if role == Qt.ItemDataRole.ToolTipRole:
            detail = item.answer or item.error
            return f"{item.subject}\n{detail}" if detail else item.subject
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATE:
            role_name = _STATE_ROLES.get(item.state)
            return qcolour(role_name) if role_name else None
        return None
