"""Ask once for a runbook command's placeholders (``<namespace>``, ``<pod-name>`` ...).

The values are stored with the incident, so every later copy of any command that uses them is
filled without asking again. Values used on other incidents (and the incident's services) are
offered in each field; a value a shell would interpret is refused inline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from commander.core.errors import ValidationError
from commander.core.runbooks import check_value
from commander.services.runbooks import Placeholder, RunbookStep, Source
from commander.ui.common.form_dialog import FormDialog


class PlaceholderDialog(FormDialog):
    """``on_submit(name, value)`` stores one value; called for each field that changed."""

    def __init__(
        self,
        step: RunbookStep,
        on_submit: Callable[[str, str], object],
        parent: QWidget | None = None,
        *,
        only_missing: bool = True,
    ) -> None:
        super().__init__("Fill placeholders", parent)
        self._step = step
        self._on_submit = on_submit
        self.holders: Sequence[Placeholder] = [
            p for p in step.placeholders if p.source == Source.MISSING or not only_missing
        ]
        self.fields: dict[str, QComboBox] = {}
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(520)
        intro = QLabel(
            f"{self._step.title}\nValues are kept with this incident and synced: never a "
            "password or a token.",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("Runbook step")
        self._layout.addWidget(intro)
        command = QLabel(self._step.filled.preview, self)
        command.setWordWrap(True)
        command.setStyleSheet("font-family: monospace;")
        command.setAccessibleName("Command")
        self._layout.addWidget(command)
        form = QFormLayout()
        for holder in self.holders:
            box = QComboBox(self)
            box.setEditable(True)
            box.setAccessibleName(f"Value of {holder.name}")
            box.addItems(list(holder.suggestions))
            box.setEditText(holder.value or "")
            if holder.source == Source.INCIDENT:
                box.setToolTip("Filled from the incident; a value here overrides it")
            form.addRow(f"<{holder.name}>", box)
            self.fields[holder.name] = box
        self._layout.addLayout(form)
        self._finish_layout()
        if self.fields:
            next(iter(self.fields.values())).setFocus()

    def _submit(self) -> None:
        changed = []
        for holder in self.holders:
            text = self.fields[holder.name].currentText().strip()
            if not text:
                raise ValidationError(f"<{holder.name}> needs a value.")
            if text != holder.value:
                changed.append((holder.name, check_value(holder.name, text)))
        for name, value in changed:
            self._on_submit(name, value)
