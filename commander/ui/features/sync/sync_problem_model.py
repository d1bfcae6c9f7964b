"""Sync problems as a table: ops sync kept aside (quarantined) or marked untrusted, and why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from commander.services.nodes import SyncProblem
from commander.ui.common.columns import ColumnsTableModel, Index

COL_KIND, COL_AUTHOR, COL_NODE, COL_SEQ, COL_WHAT, COL_REASON = range(6)
_KIND_TEXT = {"quarantined": "Quarantined (not applied)", "untrusted": "Untrusted (applied)"}


class SyncProblemModel(ColumnsTableModel):
    """One row per op sync would not trust, in the server's order."""

    COLUMNS = ("Kind", "Author", "Node", "Server seq", "What", "Reason")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._problems: list[SyncProblem] = []

    def set_problems(self, problems: list[SyncProblem]) -> None:
        """New problems are appended (the list only grows); anything else resets."""
        old = [p.op_id for p in self._problems]
        if [p.op_id for p in problems[: len(old)]] == old:
            if len(problems) > len(old):
                self.beginInsertRows(QModelIndex(), len(old), len(problems) - 1)
                self._problems = list(problems)
                self.endInsertRows()
            return
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problem_at(self, row: int) -> SyncProblem:
        return self._problems[row]

    def _row_count(self) -> int:
        return len(self._problems)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem = self._problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return {
                COL_KIND: _KIND_TEXT.get(problem.kind, problem.kind),
                COL_AUTHOR: problem.author,
                COL_NODE: problem.node_id,
                COL_SEQ: str(problem.server_seq),
                COL_WHAT: problem.entity,
                COL_REASON: problem.reason,
            }.get(index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"op {problem.op_id}: {problem.reason}"
        return None
