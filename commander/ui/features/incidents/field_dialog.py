"""Set an incident's type or one of the procedure's custom fields (Incident → Set field…).

The keys are the workspace procedure's; a value the field does not take is refused inline in
one sentence (the service checks it), and an empty value empties the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from commander.core.deadline_facts import TYPE_FIELD
from commander.core.procedure_model import Procedure
from commander.ui.common.field_inputs import field_hint
from commander.ui.common.form_dialog import FormDialog


class FieldDialog(FormDialog):
    """Pick a field of the procedure, type its value."""

    def __init__(
        self,
        title: str,
        procedure: Procedure,
        values: Mapping[str, Any],
        on_submit: Callable[[str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._procedure = procedure
        self._values = dict(values)
        self._on_submit = on_submit
        self.setMinimumWidth(440)
        form = QFormLayout()
        self.key_combo = QComboBox(self)
        self.key_combo.setAccessibleName("Field")
        self.key_combo.addItem("Type", TYPE_FIELD)
        for spec in procedure.fields:
            self.key_combo.addItem(spec.name, spec.key)
        self.value_edit = QLineEdit(self)
        self.value_edit.setAccessibleName("Value")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("What the field takes")
        form.addRow("Field", self.key_combo)
        form.addRow("Value", self.value_edit)
        form.addRow("", self.hint)
        self._layout.addLayout(form)
        self._finish_layout()
        self.key_combo.currentIndexChanged.connect(self._key_changed)
        self._key_changed()

    def key(self) -> str:
        return str(self.key_combo.currentData())

    def set_key(self, key: str) -> None:
        self.key_combo.setCurrentIndex(max(self.key_combo.findData(key), 0))

    def _key_changed(self) -> None:
        key = self.key()
        value = self._values.get(key)
        text = ", ".join(value) if isinstance(value, list) else ("" if value is None else value)
        self.value_edit.setText(str(text))
        self.hint.setText(field_hint(self._procedure, key))

    def _submit(self) -> None:
        self._on_submit(self.key(), self.value_edit.text())
