"""Declare an incident, with the procedure's severity table beside the choice.

Choosing a severity is the first judgement call at 3 a.m.; showing the definition, examples,
response time and escalation of the selected level means nobody has to find the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from commander.core.policy import Severity
from commander.ui.dialogs.form_dialog import FormDialog


@dataclass(frozen=True)
class DeclareForm:
    title: str
    severity: Severity
    services: str
    impact: str


class DeclareDialog(FormDialog):
    """The declare form; ``on_submit`` does the declaring and may raise ``CommanderError``.

    Attributes:
        result_value: whatever ``on_submit`` returned, once accepted.
    """

    def __init__(
        self, on_submit: Callable[[DeclareForm], object], parent: QWidget | None = None
    ) -> None:
        super().__init__("Declare incident", parent)
        self._on_submit = on_submit
        self.result_value: object = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(720)
        form = QFormLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("What is broken, as customers see it")
        form.addRow("&Title", self.title_edit)

        severity_row = QHBoxLayout()
        self.severity_group = QButtonGroup(self)
        self.severity_buttons: dict[Severity, QRadioButton] = {}
        for severity in Severity:
            button = QRadioButton(f"{severity.value} {severity.level.name}", self)
            button.setAccessibleName(f"Severity {severity.value} {severity.level.name}")
            self.severity_group.addButton(button, severity.rank)
            self.severity_buttons[severity] = button
            severity_row.addWidget(button)
        severity_row.addStretch(1)
        form.addRow("Severity", severity_row)

        self.level_box = QGroupBox(self)
        self.level_box.setAccessibleName("Severity definition")
        level_layout = QVBoxLayout(self.level_box)
        self.level_label = QLabel(self.level_box)
        self.level_label.setWordWrap(True)
        self.level_label.setAccessibleName("Selected severity details")
        level_layout.addWidget(self.level_label)
        form.addRow(self.level_box)

        self.services_edit = QLineEdit(self)
        self.services_edit.setAccessibleName("Affected services")
        self.services_edit.setPlaceholderText("customer-api, auth-gateway (comma separated)")
        form.addRow("Affected &services", self.services_edit)

        self.impact_edit = QPlainTextEdit(self)
        self.impact_edit.setAccessibleName("Customer impact")
        self.impact_edit.setPlaceholderText("Who is affected and how")
        self.impact_edit.setTabChangesFocus(True)
        self.impact_edit.setFixedHeight(80)
        form.addRow("Customer &impact", self.impact_edit)

        self._layout.addLayout(form)
        self._finish_layout()
        self.severity_group.idToggled.connect(self._on_severity_toggled)
        self.severity_buttons[Severity.P1].setChecked(True)
        self.title_edit.setFocus()

    def severity(self) -> Severity:
        return Severity(f"P{self.severity_group.checkedId()}")

    def set_severity(self, severity: Severity) -> None:
        self.severity_buttons[severity].setChecked(True)

    def _on_severity_toggled(self, rank: int, checked: bool) -> None:
        if not checked:
            return
        level = Severity(f"P{rank}").level
        examples = "".join(f"<li>{escape(example)}</li>" for example in level.examples)
        self.level_box.setTitle(f"{level.severity.value} {level.name} — {level.headline}")
        self.level_label.setText(
            f"<b>Definition:</b> {escape(level.definition)}<br>"
            f"<b>Examples:</b><ul style='margin-top:0; margin-bottom:0'>{examples}</ul>"
            f"<b>Response time:</b> {level.response_time_text} &nbsp;&nbsp; "
            f"<b>Escalation:</b> {escape(level.escalation)}"
        )

    def form(self) -> DeclareForm:
        return DeclareForm(
            title=self.title_edit.text(),
            severity=self.severity(),
            services=self.services_edit.text(),
            impact=self.impact_edit.toPlainText(),
        )

    def _submit(self) -> None:
        self.result_value = self._on_submit(self.form())
