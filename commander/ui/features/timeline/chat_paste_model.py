"""The messages read from a pasted chat, as the preview's table: keep or trim each one, and
correct its sender or text before it is logged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from commander.core.chat_paste import ChatMessage
from commander.ui.common.columns import ColumnsTableModel, Index
from commander.ui.common.zones import FollowsZone

CHAT_COLUMNS = ("Log", "Time", "From", "Text")
COL_KEEP, COL_TIME, COL_FROM, COL_TEXT = range(len(CHAT_COLUMNS))


@dataclass
class ChatRow:
    message: ChatMessage  # as read, with the sender and text as edited
    kept: bool = True


class ChatPasteModel(ColumnsTableModel, FollowsZone):
    """One row per message; the Log column's check box trims, From and Text are editable.

    Signals:
        sig_kept_changed(int): how many messages are kept now.
    """

    COLUMNS = CHAT_COLUMNS
    sig_kept_changed = Signal(int)

    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._rows: list[ChatRow] = []

    def set_messages(self, messages: Sequence[ChatMessage], keep: Sequence[ChatRow] = ()) -> None:
        """Show ``messages``; a row at the same place in ``keep`` (the rows before a re-read)
        keeps its check box and edits when it is the same message."""
        rows = []
        for k, message in enumerate(messages):
            row = ChatRow(message)
            if k < len(keep) and keep[k].message.line == message.line:
                before = keep[k].message
                row = ChatRow(
                    replace(message, author=before.author, text=before.text), keep[k].kept
                )
            rows.append(row)
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        self.sig_kept_changed.emit(self.kept_count())

    def rows(self) -> list[ChatRow]:
        return list(self._rows)

    def kept(self) -> list[ChatMessage]:
        return [row.message for row in self._rows if row.kept]

    def kept_count(self) -> int:
        return sum(1 for row in self._rows if row.kept)

    def set_all_kept(self, kept: bool) -> None:
        for row in self._rows:
            row.kept = kept
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_KEEP), self.index(len(self._rows) - 1, COL_KEEP)
            )
        self.sig_kept_changed.emit(self.kept_count())

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == COL_KEEP:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.kept else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "logged" if row.kept else "left out"
            return None
        message = row.message
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_TIME:
                return f"{message.occurred_at.astimezone(self._zone):%Y-%m-%d %H:%M}"
            if column == COL_FROM:
                return message.author
            if column == COL_TEXT:
                return message.text
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TIME:
            return f"Shown in the chat as {message.written}, line {message.line}"
        if role == Qt.ItemDataRole.ForegroundRole and not row.kept:
            return _muted()
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_KEEP:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (COL_FROM, COL_TEXT):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row = self._rows[index.row()]
        column = index.column()
        if column == COL_KEEP and role == Qt.ItemDataRole.CheckStateRole:
            row.kept = Qt.CheckState(value) == Qt.CheckState.Checked
            first, last = self.index(index.row(), 0), self.index(index.row(), COL_TEXT)
            self.dataChanged.emit(first, last)
            self.sig_kept_changed.emit(self.kept_count())
            return True
        if role != Qt.ItemDataRole.EditRole or column not in (COL_FROM, COL_TEXT):
            return False
        text = str(value)
        if column == COL_FROM:
            row.message = replace(row.message, author=" ".join(text.split()))
        else:
            row.message = replace(row.message, text=text.strip())
        self.dataChanged.emit(index, index)
        return True


def _muted() -> Any:
    """A left-out row reads greyed, in the theme's own disabled text colour."""
    return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
