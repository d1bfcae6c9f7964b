"""Record impact: one sample (metric, value, time) or many pasted ``time,value`` rows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from commander.core.errors import ValidationError
from commander.core.impact import Metric, parse_value
from commander.ui.common.form_dialog import FormDialog


class ImpactDialog(FormDialog):
    """``on_single(metric, value, time_text)`` or ``on_paste(metric, text)``; the latter
    returns a message naming skipped rows, shown before the dialog closes."""

    def __init__(
        self,
        on_single: Callable[[Metric, float, str], object],
        on_paste: Callable[[Metric, str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Record impact", parent)
        self._on_single = on_single
        self._on_paste = on_paste
        self.skipped_note = ""
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.metric_combo = QComboBox(self)
        self.metric_combo.setAccessibleName("Metric")
        for metric in Metric:
            self.metric_combo.addItem(f"{metric.label} ({metric.unit})", metric)
        form.addRow("&Metric", self.metric_combo)
        self.value_edit = QLineEdit(self)
        self.value_edit.setAccessibleName("Value")
        self.value_edit.setPlaceholderText("e.g. 40")
        form.addRow("&Value", self.value_edit)
        self.time_edit = QLineEdit(self)
        self.time_edit.setAccessibleName("Time")
        self.time_edit.setPlaceholderText("now, or HH:MM / ISO-8601")
        form.addRow("&Time", self.time_edit)
        self.paste_edit = QPlainTextEdit(self)
        self.paste_edit.setAccessibleName("Pasted rows")
        self.paste_edit.setPlaceholderText(
            "…or paste many rows of time,value (e.g. an export from Grafana):\n10:05,12.5\n10:10,18"
        )
        self.paste_edit.setMinimumHeight(120)
        form.addRow("&Paste", self.paste_edit)
        hint = QLabel("Pasted rows take precedence over the single value.", self)
        hint.setWordWrap(True)
        form.addRow("", hint)
        self._layout.addLayout(form)
        self._finish_layout()

    def chosen_metric(self) -> Metric:
        return Metric(self.metric_combo.currentData())

    def _submit(self) -> None:
        pasted = self.paste_edit.toPlainText()
        if pasted.strip():
            self.skipped_note = self._on_paste(self.chosen_metric(), pasted)
            return
        if not self.value_edit.text().strip():
            raise ValidationError("Enter a value, or paste rows of time,value.")
        self._on_single(
            self.chosen_metric(), parse_value(self.value_edit.text()), self.time_edit.text()
        )
