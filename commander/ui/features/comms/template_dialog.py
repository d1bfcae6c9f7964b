"""Edit the communication templates: change a shipped one for this workspace, add your own.

Templates are data that sync; a template that would not render (syntax, unknown field, an
attempt at Python internals) is refused inline with the reason, and nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.templates import FIELD_HELP, Audience
from commander.services.comms import CommsService
from commander.ui.common.form_dialog import FormDialog

NEW = ""


class TemplateDialog(FormDialog):
    """Pick a template (or "New template"), edit it, OK saves it as an op."""

    def __init__(self, comms: CommsService, parent: QWidget | None = None) -> None:
        super().__init__("Templates", parent)
        self._comms = comms
        self.saved_key: str | None = None
        self._setup_ui()
        self._on_pick()

    def _setup_ui(self) -> None:
        self.setMinimumSize(760, 620)
        form = QFormLayout()
        self.pick_combo = QComboBox(self)
        self.pick_combo.setAccessibleName("Template to edit")
        for template in self._comms.templates():
            shipped = " (shipped)" if template.builtin else ""
            self.pick_combo.addItem(template.name + shipped, template.key)
        self.pick_combo.addItem("New template…", NEW)
        form.addRow("&Template", self.pick_combo)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Name")
        form.addRow("&Name", self.name_edit)
        self.audience_combo = QComboBox(self)
        self.audience_combo.setAccessibleName("Audience")
        for audience in Audience:
            self.audience_combo.addItem(audience.label, audience.value)
        form.addRow("&Audience", self.audience_combo)
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setAccessibleName("Subject")
        form.addRow("&Subject", self.subject_edit)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setAccessibleName("Body")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        form.addRow("&Body", self.body_edit)
        names = ", ".join(f"{{{{ {name} }}}}" for name in FIELD_HELP)
        fields = QLabel(
            f"Fields: {names}; the procedure's type and fields as {{{{ field_type }}}}, "
            "{{ field_<key> }}",
            self,
        )
        fields.setWordWrap(True)
        fields.setAccessibleName("Available fields")
        form.addRow("", fields)
        self.remove_button = QPushButton(self)
        self.remove_button.setAccessibleName("Remove or restore template")
        self.remove_button.clicked.connect(self.remove_current)
        form.addRow("", self.remove_button)
        self._layout.addLayout(form)
        self._finish_layout()
        self.pick_combo.currentIndexChanged.connect(self._on_pick)

    def _on_pick(self) -> None:
        key = str(self.pick_combo.currentData())
        self.show_error("")
        if key == NEW:
            self.name_edit.setText("")
            self.subject_edit.setText("INCIDENT UPDATE - P{{ severity }}")
            self.body_edit.setPlainText("Status: {{ status }}\nImpact: {{ impact }}")
            self.remove_button.hide()
            return
        template = self._comms.template(key)
        self.name_edit.setText(template.name)
        self.audience_combo.setCurrentIndex(self.audience_combo.findData(template.audience.value))
        self.subject_edit.setText(template.subject)
        self.body_edit.setPlainText(template.body)
        builtin_keys = {t.key for t in self._comms.templates() if t.builtin}
        self.remove_button.setText(
            "Restore the shipped text" if key in _shipped_keys() else "Delete this template"
        )
        self.remove_button.setVisible(key not in builtin_keys or key in _shipped_keys())
        self.remove_button.setEnabled(key not in builtin_keys)

    def remove_current(self) -> None:
        key = str(self.pick_combo.currentData())
        try:
            self._comms.delete_template(key)
        except CommanderError as err:
            self.show_error(str(err))
            return
        self.accept()

    def _submit(self) -> None:
        key = str(self.pick_combo.currentData())
        self.saved_key = self._comms.save_template(
            key=key or None,
            name=self.name_edit.text(),
            audience=Audience(self.audience_combo.currentData()),
            subject=self.subject_edit.text(),
            body=self.body_edit.toPlainText(),
        )


def _shipped_keys() -> set[str]:
    from commander.core.templates import BUILTIN_TEMPLATES

    return {t.key for t in BUILTIN_TEMPLATES}
