"""Forms for deadline events: met (and how), snoozed (for how long, and why)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from commander.core.deadlines import Deadline
from commander.ui.common.form_dialog import FormDialog


class MeetDialog(FormDialog):
    """Record how a deadline was met; ``on_submit(how)`` writes it."""

    def __init__(
        self,
        deadline: Deadline,
        default_how: str,
        on_submit: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Met: {deadline.name}", parent)
        self._deadline = deadline
        self._default_how = default_how
        self._on_submit = on_submit
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(460)
        form = QFormLayout()
        name = QLabel(self._deadline.name, self)
        name.setAccessibleName("Deadline")
        form.addRow("Deadline", name)
        self.how_edit = QLineEdit(self._default_how, self)
        self.how_edit.setAccessibleName("How it was met")
        self.how_edit.setPlaceholderText('e.g. "VP Engineering called at 10:42"')
        self.how_edit.selectAll()
        form.addRow("&How", self.how_edit)
        self._layout.addLayout(form)
        self._finish_layout()

    def _submit(self) -> None:
        self._on_submit(self.how_edit.text())


class SnoozeDialog(FormDialog):
    """Acknowledge a deadline and silence its alerts; ``on_submit(minutes, reason)``."""

    def __init__(
        self,
        deadline: Deadline,
        on_submit: Callable[[int, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Snooze: {deadline.name}", parent)
        self._deadline = deadline
        self._on_submit = on_submit
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setRange(1, 240)
        self.minutes_spin.setValue(15)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Snooze for")
        form.addRow("Snooze &for", self.minutes_spin)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setPlaceholderText("Why the deadline can wait (logged)")
        form.addRow("&Reason", self.reason_edit)
        note = QLabel("The deadline does not move; only its alerts are silenced.", self)
        note.setWordWrap(True)
        form.addRow("", note)
        self._layout.addLayout(form)
        self._finish_layout()

    def _submit(self) -> None:
        self._on_submit(self.minutes_spin.value(), self.reason_edit.text())
