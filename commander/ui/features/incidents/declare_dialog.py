"""Declare an incident, with the procedure's severity table beside the choice.

Choosing a severity is the first judgement call at 3 a.m.; showing the definition, examples,
response time and escalation of the selected level means nobody has to find the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from commander.core.deadline_policy import DEADLINE_POLICY, DeadlineKind
from commander.core.policy import Severity
from commander.core.procedure_model import Procedure
from commander.ui.common.field_inputs import FieldInputs
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.severity_badge import shown_names
from commander.ui.common.severity_picker import SeverityPicker

DRAFT_PAUSE_MS = 400  # a pause in typing before similar incidents are looked up

# What the escalation box says per severity; P3 has no escalation (the box is hidden).
ESCALATED_TEXT = {
    Severity.P0: "&Executives notified",
    Severity.P1: "&Management notified",
    Severity.P2: "Team &lead notified",
}


@dataclass(frozen=True)
class DeclareForm:
    title: str
    severity: Severity
    services: str
    impact: str
    escalated: bool = False  # the severity's escalation audience is notified already
    fields: dict[str, str] = field(default_factory=dict)  # the procedure's, by key


class DeclareDialog(FormDialog):
    """The declare form; ``on_submit`` does the declaring and may raise ``CommanderError``.

    Enter declares from the one-line fields and the severity; in *Customer impact* Enter adds a
    line, and Ctrl+Enter declares from anywhere in the dialog.

    Attributes:
        result_value: whatever ``on_submit`` returned, once accepted.
    """

    def __init__(
        self,
        on_submit: Callable[[DeclareForm], object],
        parent: QWidget | None = None,
        on_draft: Callable[[str, str], None] | None = None,
        procedure: Procedure | None = None,
    ) -> None:
        """``on_draft(title, services)``: called a moment after either was last typed, to
        look up similar past incidents (shown with ``show_similar``). ``procedure``: its
        fields required at declaration get an input each."""
        super().__init__("Declare incident", parent)
        self._on_submit = on_submit
        self._on_draft = on_draft
        self.result_value: object = None
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_PAUSE_MS)
        self._draft_timer.timeout.connect(self._draft_changed)
        self._procedure = procedure
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setMinimumWidth(720)
        form = QFormLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("What is broken, as customers see it")
        form.addRow("&Title", self.title_edit)

        self.severity_picker = SeverityPicker(self)
        self.severity_buttons = self.severity_picker.buttons
        form.addRow("Severity (0-3)", self.severity_picker)

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
        self.impact_edit.setPlaceholderText("Who is affected and how (Ctrl+Enter declares)")
        self.impact_edit.setTabChangesFocus(True)
        self.impact_edit.setFixedHeight(80)
        form.addRow("Customer &impact", self.impact_edit)
        self.field_inputs: FieldInputs | None = None
        procedure = self._procedure
        asked = [f for f in procedure.fields if f.required == "declaration"] if procedure else []
        if procedure is not None and asked:
            self.field_inputs = FieldInputs(procedure, asked, form, self)

        self.similar_label = QLabel(self)
        self.similar_label.setAccessibleName("Similar past incidents")
        self.similar_label.setWordWrap(True)
        self.similar_label.setTextFormat(Qt.TextFormat.RichText)
        self.similar_label.hide()
        form.addRow(self.similar_label)

        self.escalated_check = QCheckBox(ESCALATED_TEXT[Severity.P0], self)
        self.escalated_check.setAccessibleName("Escalation audience notified")
        form.addRow("", self.escalated_check)

        self._layout.addLayout(form)
        self._finish_layout()
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        ok.setText("&Declare")
        ok.setToolTip("Enter or Ctrl+Enter")
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self._on_ok)
        self.severity_picker.sig_changed.connect(self._on_severity_changed)
        if self._on_draft is not None:
            self.title_edit.textChanged.connect(self._draft_timer.start)
            self.services_edit.textChanged.connect(self._draft_timer.start)
        self.severity_picker.set_severity(Severity.P1)
        self.title_edit.setFocus()

    def severity(self) -> Severity:
        return self.severity_picker.severity()

    def set_severity(self, severity: Severity) -> None:
        self.severity_picker.set_severity(severity)

    def _on_severity_changed(self, value: str) -> None:
        severity = Severity(value)
        self._show_level(severity)
        escalation = DEADLINE_POLICY[severity][DeadlineKind.ESCALATION]
        self.escalated_check.setVisible(severity in ESCALATED_TEXT and escalation.applies)
        if severity in ESCALATED_TEXT:
            self.escalated_check.setText(ESCALATED_TEXT[severity])
            self.escalated_check.setToolTip(
                f"Tick if done already: meets the {escalation.name} deadline "
                "(recorded on the timeline)"
            )

    def _show_level(self, severity: Severity) -> None:
        names = shown_names()
        level = names.spec(severity) or severity.level  # the loaded procedure's row
        examples = "".join(f"<li>{escape(example)}</li>" for example in level.examples)
        headline = f" — {level.headline}" if level.headline else ""
        self.level_box.setTitle(f"{names.label(severity)}{headline}")
        self.level_label.setText(
            f"<b>Definition:</b> {escape(level.definition)}<br>"
            + (
                f"<b>Examples:</b><ul style='margin-top:0; margin-bottom:0'>{examples}</ul>"
                if examples
                else ""
            )
            + f"<b>Response time:</b> {escape(level.response_time_text)} &nbsp;&nbsp; "
            f"<b>Escalation:</b> {escape(level.escalation or '—')}"
        )

    def draft(self) -> tuple[str, str]:
        return self.title_edit.text().strip(), self.services_edit.text().strip()

    def _draft_changed(self) -> None:
        if self._on_draft is not None and any(self.draft()):
            self._on_draft(*self.draft())

    def show_similar(self, draft: tuple[str, str], html: str) -> None:
        """Show what resembles ``draft`` (ignored if the fields changed since)."""
        if draft != self.draft():
            return
        appears = bool(html) and self.similar_label.isHidden()
        self.similar_label.setText(html)
        self.similar_label.setVisible(bool(html))
        if appears:  # grow rather than squeeze the severity definition above
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def form(self) -> DeclareForm:
        return DeclareForm(
            title=self.title_edit.text(),
            severity=self.severity(),
            services=self.services_edit.text(),
            impact=self.impact_edit.toPlainText(),
            escalated=not self.escalated_check.isHidden() and self.escalated_check.isChecked(),
            fields=self.field_inputs.values() if self.field_inputs is not None else {},
        )

    def _submit(self) -> None:
        self.result_value = self._on_submit(self.form())
