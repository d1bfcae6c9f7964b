"""Small forms for correcting the record: strike, amend, and picking a new value.

The timeline is append-only, so a correction is a new fact with a reason, entered here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from commander.core.records import TimelineEntry
from commander.ui.common.form_dialog import FormDialog


class StrikeDialog(FormDialog):
    """Ask for the reason an entry is struck; ``on_submit(reason)`` strikes it."""

    def __init__(
        self,
        entry: TimelineEntry,
        on_submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Strike entry", parent)
        self._entry = entry
        self._on_submit = on_submit
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(480)
        form = QFormLayout()
        shown = QLabel(self._entry.amended_event or self._entry.event, self)
        shown.setWordWrap(True)
        shown.setAccessibleName("Entry to strike")
        form.addRow("Entry", shown)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setPlaceholderText("Why this entry is wrong (stays in the record)")
        form.addRow("&Reason", self.reason_edit)
        self._layout.addLayout(form)
        self._finish_layout()

    def _submit(self) -> None:
        self._on_submit(self.reason_edit.text())


class AmendDialog(FormDialog):
    """Correct an entry's text; the original stays visible beside the correction."""

    def __init__(
        self,
        entry: TimelineEntry,
        on_submit: Callable[[str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Amend entry", parent)
        self._entry = entry
        self._on_submit = on_submit
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(560)
        entry = self._entry
        form = QFormLayout()
        original = QLabel(entry.event, self)
        original.setWordWrap(True)
        original.setAccessibleName("Original event")
        form.addRow("Original", original)
        self.event_edit = QLineEdit(entry.amended_event or entry.event, self)
        self.event_edit.setAccessibleName("Amended event")
        form.addRow("&Event", self.event_edit)
        action = entry.amended_action if entry.amended_action is not None else entry.action
        self.action_edit = QLineEdit(action, self)
        self.action_edit.setAccessibleName("Amended action taken")
        form.addRow("&Action taken", self.action_edit)
        self._layout.addLayout(form)
        self._finish_layout()
        self.event_edit.selectAll()

    def _submit(self) -> None:
        self._on_submit(self.event_edit.text(), self.action_edit.text())


class ChoiceDialog(FormDialog):
    """Pick one of the allowed values (severity, status, phase)."""

    def __init__(
        self,
        title: str,
        label: str,
        choices: Sequence[tuple[str, str]],
        current: str,
        on_submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._choices = list(choices)
        self._on_submit = on_submit
        self._setup_ui(label, current)

    def _setup_ui(self, label: str, current: str) -> None:
        self.setMinimumWidth(380)
        form = QFormLayout()
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(label)
        for value, text in self._choices:
            self.combo.addItem(text, value)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(max(index, 0))
        form.addRow(label, self.combo)
        self._layout.addLayout(form)
        self._finish_layout()

    def value(self) -> str:
        return str(self.combo.currentData())

    def set_value(self, value: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(value))

    def _submit(self) -> None:
        self._on_submit(self.value())
