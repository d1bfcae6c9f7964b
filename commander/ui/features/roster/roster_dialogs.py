"""Dialogs of the roster: assign in two keystrokes, the people directory, history, briefing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commander.core.people import Person
from commander.core.roles import RoleDef
from commander.ui.common.form_dialog import FormDialog


class AssignDialog(FormDialog):
    """Role combo and a person field with type-ahead on name and handle; one Enter assigns.

    Anyone may be typed (someone new joins the directory), and *Assign to me* (Alt+M or
    Ctrl+M) gives the role to the person at the keyboard. ``on_submit(role_key, person_text,
    note)`` does the work; refusals show inline.
    """

    def __init__(
        self,
        title: str,
        roles: Sequence[RoleDef],
        people: Sequence[Person],
        current_role: str | None,
        on_submit: Callable[[str, str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._on_submit = on_submit
        self.result_value: object = None
        self.setMinimumWidth(440)
        form = QFormLayout()
        self.role_combo = QComboBox(self)
        self.role_combo.setAccessibleName("Role")
        for role in roles:
            self.role_combo.addItem(role.name, role.key)
        if current_role is not None:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(current_role), 0))
        form.addRow("&Role", self.role_combo)
        self.person_edit = QLineEdit(self)
        self.person_edit.setAccessibleName("Person")
        self.person_edit.setPlaceholderText("Any name or @handle (new people are added), or me")
        labels = [p.label for p in people]
        self.completer = QCompleter(QStringListModel(labels, self), self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.person_edit.setCompleter(self.completer)
        # The popup takes the keys while it is open: its Enter completes *and* assigns.
        self.completer.popup().installEventFilter(self)  # type: ignore[union-attr]  # stubs: popup() makes one, never None
        person_row = QHBoxLayout()
        person_row.addWidget(self.person_edit, 1)
        self.me_button = QPushButton("Assign to &me", self)
        self.me_button.setAccessibleName("Assign to me")
        self.me_button.setToolTip("Give the role to yourself (Alt+M or Ctrl+M)")
        self.me_button.setAutoDefault(False)
        self.me_button.clicked.connect(self.assign_to_me)
        me_shortcut = QShortcut(QKeySequence("Ctrl+M"), self)
        me_shortcut.activated.connect(self.assign_to_me)
        person_row.addWidget(self.me_button)
        form.addRow("&Person", person_row)
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName("Handoff note")
        self.note_edit.setPlaceholderText("Optional: what the incoming holder must know")
        form.addRow("&Note", self.note_edit)
        self._layout.addLayout(form)
        self._finish_layout()
        self.person_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the open completer popup: let it complete, then assign (one Enter)."""
        if (
            watched is self.completer.popup()
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.completer.popup().isVisible()  # type: ignore[union-attr]  # as above
        ):
            QTimer.singleShot(0, self._on_ok)  # after the completer has set the text
        return super().eventFilter(watched, event)

    def assign_to_me(self) -> None:
        self.person_edit.setText("me")
        self._on_ok()

    def _submit(self) -> None:
        text = self.person_edit.text().strip()
        if text.endswith(")") and "(@" in text:  # a completer label: "Name (@handle)"
            text = text[text.rindex("(@") + 1 : -1]
        self.result_value = self._on_submit(
            str(self.role_combo.currentData()), text, self.note_edit.text()
        )


class BriefingDialog(QDialog):
    """The handoff briefing, shown to the incoming IC; Copy and Save as Markdown."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName("Handoff briefing")
        self.markdown = markdown
        self.resize(760, 680)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName("Briefing text")
        self.view.setMarkdown(markdown)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(
            "&Copy Markdown", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button = buttons.addButton("&Save as…", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setAccessibleName("Copy Markdown")
        self.save_button.setAccessibleName("Save as")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(lambda: self.save())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.markdown)

    def save(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save briefing", "briefing.md", "Markdown (*.md);;All files (*)"
            )
        if not path:
            return None
        target = Path(path)
        try:
            target.write_text(self.markdown, encoding="utf-8")
        except OSError as err:
            QMessageBox.warning(self, "Commander", f"Could not save {target}: {err.strerror}")
            return None
        return target


class TextDialog(QDialog):
    """Read-only Markdown: a role's history, the response-team proposal."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName(title)
        self.view.setMarkdown(markdown)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
