"""Answer an open question: the answer is a timeline entry that links to it and closes it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from commander.core.errors import ValidationError
from commander.services.questions import OpenQuestion
from commander.ui.common.form_dialog import FormDialog


class AnswerDialog(FormDialog):
    """``on_submit(text)`` logs the answer; a refusal shows inline and keeps the text."""

    def __init__(
        self,
        question: OpenQuestion,
        on_submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Answer question", parent)
        self._question = question
        self._on_submit = on_submit
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(520)
        form = QFormLayout()
        asked = QLabel(self._question.text, self)
        asked.setWordWrap(True)
        asked.setAccessibleName("Question")
        form.addRow("Question", asked)
        self.answer_edit = QLineEdit(self)
        self.answer_edit.setAccessibleName("Answer")
        self.answer_edit.setPlaceholderText("The answer, as the timeline should read it")
        form.addRow("&Answer", self.answer_edit)
        self._layout.addLayout(form)
        self._finish_layout()

    def _submit(self) -> None:
        if not self.answer_edit.text().strip():
            raise ValidationError("Write the answer first; an empty answer answers nothing.")
        self._on_submit(self.answer_edit.text())
