"""Open questions as a table: when asked, how long ago, the question, who asked.

The age column is the only one that changes by itself; ``set_now`` repaints it alone, so the
panel can tick it every second without reading the workspace.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from commander.services.questions import OpenQuestion, age_text
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.zones import FollowsZone

COLUMNS = ("Asked", "Open for", "Question", "Asked by")
COL_ASKED, COL_AGE, COL_QUESTION, COL_BY = range(len(COLUMNS))
QUESTION_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class QuestionModel(ColumnsTableModel, FollowsZone):
    """Unanswered questions, oldest first (the order the service gives)."""

    COLUMNS = COLUMNS

    def __init__(self, zone: tzinfo = UTC, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._questions: list[OpenQuestion] = []
        self._now: datetime | None = None

    def set_questions(self, questions: list[OpenQuestion], now: datetime) -> None:
        self.beginResetModel()
        self._questions = list(questions)
        self._now = now
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        """Age every row to ``now``: one repaint of the age column."""
        self._now = now
        if self._questions:
            last = len(self._questions) - 1
            self.dataChanged.emit(self.index(0, COL_AGE), self.index(last, COL_AGE))

    def question_at(self, row: int) -> OpenQuestion:
        return self._questions[row]

    def oldest_age(self) -> str:
        return age_text(self._age(self._questions[0])) if self._questions else ""

    def _age(self, question: OpenQuestion) -> Any:
        if self._now is None:
            return question.age
        return self._now - question.entry.occurred_at

    def _row_count(self) -> int:
        return len(self._questions)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        question = self._questions[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_ASKED:
                return question.entry.occurred_at.astimezone(self._zone).strftime("%H:%M")
            if column == COL_AGE:
                return age_text(self._age(question))
            if column == COL_QUESTION:
                return question.text
            return question.entry.attributed_to or question.entry.author
        if role == Qt.ItemDataRole.ToolTipRole:
            asked = question.entry.occurred_at.astimezone(self._zone)
            return f"{question.text}\nAsked {asked:%Y-%m-%d %H:%M} — Answer… links the reply"
        if role == QUESTION_ROLE:
            return question
        return None
