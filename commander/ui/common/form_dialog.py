"""A dialog whose OK runs an action and shows a refusal inline, keeping everything typed.

A modal error box on top of a form makes people retype; an inline red line does not.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from commander.core.errors import CommanderError
from commander.ui.common.themes import set_role

ERROR_STYLE = "color: #b00020;"  # light theme only: prefer set_role(label, "error")


class FormDialog(QDialog):
    """Base for small forms: subclasses build fields and define ``_submit``, which does the
    action and raises ``CommanderError`` to refuse it (shown inline, the form stays open)."""

    _submit: Callable[[], None]

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._layout = QVBoxLayout(self)
        self.error_label = QLabel(self)
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Error")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)

    def _finish_layout(self) -> None:
        """Call at the end of a subclass's ``_setup_ui``: error line above the buttons."""
        self._layout.addWidget(self.error_label)
        self._layout.addWidget(self.buttons)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _on_ok(self) -> None:
        try:
            self._submit()
        except CommanderError as err:
            self.show_error(str(err))
            return
        self.accept()
