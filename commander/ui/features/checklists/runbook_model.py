"""Runbook steps as a table: done, step, and the command as it will be copied.

Commands are shown in a fixed-width font, with what is still missing in warning colour; a
destructive step's name is red with a ⚠ and its reasons in the tooltip. Reloads with the same
steps update the cells in place, so the selected step stays selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase

from commander.services.runbooks import RunbookStep
from commander.ui.common.columns import ColumnsTableModel

COLUMNS = ("✓", "Step", "Command")
COL_DONE, COL_STEP, COL_COMMAND = range(len(COLUMNS))
KEY_ROLE = Qt.ItemDataRole.UserRole
DESTRUCTIVE_COLOR = QColor("#b00020")
MISSING_COLOR = QColor("#8a4b00")

_Index = QModelIndex | QPersistentModelIndex


def step_name(step: RunbookStep) -> str:
    """A short name for the table: the step's text, or the procedure's comment when the
    text is the command itself."""
    s = step.ref.step
    return (s.note or step.ref.checklist.title) if s.text == s.command else s.text


class RunbookModel(ColumnsTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._steps: list[RunbookStep] = []
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_steps(self, steps: list[RunbookStep]) -> None:
        if [s.ref.step.key for s in steps] == [s.ref.step.key for s in self._steps]:
            self._steps = list(steps)
            if steps:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(steps) - 1, len(COLUMNS) - 1)
                )
            return
        self.beginResetModel()
        self._steps = list(steps)
        self.endResetModel()

    def step_at(self, row: int) -> RunbookStep:
        return self._steps[row]

    def row_of(self, step_key: str) -> int | None:
        return next((n for n, s in enumerate(self._steps) if s.ref.step.key == step_key), None)

    def _row_count(self) -> int:
        return len(self._steps)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        step = self._steps[index.row()]
        column = index.column()
        if role == KEY_ROLE:
            return step.ref.step.key
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_DONE:
                return "✔" if step.done else ""
            if column == COL_STEP:
                return f"⚠ {step_name(step)}" if step.destructive else step_name(step)
            return step.filled.preview
        if role == Qt.ItemDataRole.FontRole:
            if column == COL_COMMAND:
                return self._mono
            if column == COL_STEP and step.destructive:
                return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_STEP and step.destructive:
                return QBrush(DESTRUCTIVE_COLOR)
            if column == COL_COMMAND and step.missing:
                return QBrush(MISSING_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{step.ref.number}  {step.title}"]
            if step.destructive:
                lines.append("Destructive: " + "; ".join(step.reasons))
            if step.missing:
                lines.append("Needs " + ", ".join(f"<{n}>" for n in step.missing))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COL_DONE:
                return "ran" if step.done else "not run"
            if column == COL_STEP and step.destructive:
                return f"{step_name(step)}, destructive"
        return None
