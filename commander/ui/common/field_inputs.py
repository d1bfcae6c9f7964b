"""Typed inputs for a procedure's custom fields: a list to pick from, or a line to type in."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from commander.core.deadline_facts import TYPE_FIELD
from commander.core.procedure_model import FieldSpec, Procedure


def field_hint(procedure: Procedure, key: str) -> str:
    """What a field takes, in one line ("One of: enterprise, business, free; required at …")."""
    if key == TYPE_FIELD:
        return "One of: " + ", ".join(f"{t.key} ({t.name})" for t in procedure.types)
    spec = next((f for f in procedure.fields if f.key == key), None)
    if spec is None:
        return ""
    if spec.type in ("choice", "multi_choice"):
        many = "any of, comma separated" if spec.type == "multi_choice" else "one of"
        text = f"{many.capitalize()}: {', '.join(spec.choices)}"
    elif spec.type == "datetime":
        text = "A date and time with a zone, like 2026-03-05T09:30+01:00"
    else:
        text = {"number": "A number", "url": "A web address (https://…)"}.get(spec.type, "Text")
    if spec.required != "never":
        text += f"; required at {spec.required}"
    return f"{text}. {spec.help}".strip()


class FieldInputs:
    """One row per field in ``form``: a choice field is a list, any other a line to type.

    The values are checked by the service (one sentence for a value a field does not take).
    """

    def __init__(
        self, procedure: Procedure, specs: Sequence[FieldSpec], form: QFormLayout, parent: QWidget
    ) -> None:
        self.inputs: dict[str, QComboBox | QLineEdit] = {}
        for spec in specs:
            widget: QComboBox | QLineEdit
            if spec.type == "choice":
                widget = QComboBox(parent)
                widget.addItem("— choose —", "")
                for choice in spec.choices:
                    widget.addItem(choice, choice)
            else:
                widget = QLineEdit(parent)
                widget.setPlaceholderText(field_hint(procedure, spec.key).split(".")[0])
            widget.setAccessibleName(spec.name)
            widget.setToolTip(field_hint(procedure, spec.key))
            form.addRow(f"{spec.name} *", widget)
            self.inputs[spec.key] = widget

    def values(self) -> dict[str, str]:
        """What was given, by field key (empty fields left out)."""
        out = {}
        for key, widget in self.inputs.items():
            text = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
            if str(text or "").strip():
                out[key] = str(text).strip()
        return out
