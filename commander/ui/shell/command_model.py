"""The commands the palette and the cheat sheet list: name, where it lives, its shortcut."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.themes import qcolour
from commander.ui.shell.commands import Command

_Index = QModelIndex | QPersistentModelIndex
COL_TEXT, COL_PATH, COL_SHORTCUT = range(3)


class CommandModel(ColumnsTableModel):
    """Rows of ``Command``; disabled actions are listed but not selectable-as-enabled."""

    COLUMNS = ("Command", "Menu", "Shortcut")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._commands: list[Command] = []

    def set_commands(self, commands: list[Command]) -> None:
        self.beginResetModel()  # a new query re-ranks everything: a reset is the honest signal
        self._commands = list(commands)
        self.endResetModel()

    def command_at(self, row: int) -> Command:
        return self._commands[row]

    def _row_count(self) -> int:
        return len(self._commands)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        command = self._commands[index.row()]
        if command.action.isEnabled():
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsSelectable  # shown greyed: "needs an incident" and the like

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        command = self._commands[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (command.text, command.path, command.shortcut)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = command.action.toolTip() or command.text
            return tip if command.action.isEnabled() else f"{tip} (not available now)"
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_TEXT:
            if command.action.isCheckable():  # "Sound on deadline alerts": show if it is on
                checked = command.action.isChecked()
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_PATH:
            return qcolour("muted") if command.action.isEnabled() else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SHORTCUT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            shortcut = f", {command.shortcut}" if command.shortcut else ""
            return f"{command.text}{shortcut}"
        return None
