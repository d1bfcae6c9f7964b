"""First-run welcome: the demo incident, your name on entries, a shared database. All optional.

Shown once per workspace, beside the main window (non-modal: the app is fully usable while it
is open, and closing it in any way counts as seen). A workspace that already holds incidents
was opened before, so it never gets the welcome.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commander.config import Identity, load_identity, load_welcomed, save_identity, save_welcomed
from commander.core.errors import ValidationError
from commander.services.workspace import Workspace
from commander.ui.common.themes import set_role
from commander.ui.shell.main_window import MainWindow

ENV_NO_WELCOME = "COMMANDER_NO_WELCOME"  # scripted starts (smoke tests, screenshots)


class WelcomeDialog(QDialog):
    """Three offers and a Skip; ``name()`` is what the user typed."""

    sig_demo_requested = Signal()
    sig_connect_requested = Signal()

    def __init__(self, identity: Identity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Commander")
        self.setAccessibleName("Welcome to Commander")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)  # grows with the font
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        heading = QLabel("Welcome to Commander", self)
        heading.setAccessibleName("Welcome to Commander")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        intro = QLabel(
            "Commander keeps the incident log on this computer and works offline. "
            "Everything below is optional; you can do it later from the menus.",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("Introduction")
        layout.addWidget(intro)

        form = QFormLayout()
        self.name_edit = QLineEdit(identity.name, self)
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("e.g. Dana Okafor")
        form.addRow("Your &name:", self.name_edit)
        self.handle_edit = QLineEdit(identity.handle, self)
        self.handle_edit.setAccessibleName("Handle on entries")
        self.handle_edit.setPlaceholderText("optional, e.g. dokafor")
        self.handle_edit.setToolTip("Signs what you log; without one, your name does")
        form.addRow("&Handle on entries:", self.handle_edit)
        layout.addLayout(form)
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Error")
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.demo_button = QPushButton("Load the &demo incident", self)
        self.demo_button.setAccessibleName("Load the demo incident")
        self.demo_button.setToolTip("A worked P1 example to look around in")
        self.demo_button.setDefault(False)
        self.demo_button.clicked.connect(self._on_demo)
        layout.addWidget(self.demo_button)
        self.connect_button = QPushButton("&Connect to a shared database…", self)
        self.connect_button.setAccessibleName("Connect to a shared database")
        self.connect_button.clicked.connect(self._on_connect)
        layout.addWidget(self.connect_button)

        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("&Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setAccessibleName("Start")
        self.skip_button = self.buttons.addButton("S&kip", QDialogButtonBox.ButtonRole.RejectRole)
        self.skip_button.setAccessibleName("Skip")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.start_button.setDefault(True)

    def identity(self) -> Identity:
        return Identity(name=self.name_edit.text(), handle=self.handle_edit.text())

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def accept(self) -> None:
        """Close only with a valid identity; an empty one is fine (nothing is saved)."""
        try:
            self.identity().validated()
        except ValidationError as err:
            self.show_error(str(err))
            return
        super().accept()

    def _on_demo(self) -> None:
        """The demo's entries are signed with the name typed here, so check it first."""
        try:
            self.identity().validated()
        except ValidationError as err:
            self.show_error(str(err))
            return
        self.show_error("")
        self.sig_demo_requested.emit()
        self.demo_button.setEnabled(False)
        self.demo_button.setText("Demo incident loaded")

    def _on_connect(self) -> None:
        self.accept()  # keep the name; the connect dialog takes over
        if self.result() == QDialog.DialogCode.Accepted:
            self.sig_connect_requested.emit()


def needs_welcome(data_dir: Path, has_incidents: bool) -> bool:
    if os.environ.get(ENV_NO_WELCOME) or load_welcomed(data_dir):
        return False
    if has_incidents:  # opened before this feature existed: mark it, say nothing
        save_welcomed(data_dir)
        return False
    return True


def show_welcome(window: MainWindow, workspace: Workspace) -> WelcomeDialog:
    """Open the welcome beside ``window`` and wire its offers to it."""
    data_dir = workspace.data_dir
    try:
        saved = load_identity(data_dir)
    except ValidationError:
        saved = Identity()
    dialog = WelcomeDialog(saved if saved.author else Identity(name=workspace.author), window)
    dialog.sig_connect_requested.connect(window.sync_ui.open_connect_dialog)

    def use_identity() -> None:
        """Save the name typed so far and write as it from now on."""
        if not dialog.identity().validated().author:
            return
        identity = save_identity(data_dir, dialog.identity())
        workspace.author = identity.author
        window.author_label.setText(f"Author: {identity.author}")

    def load_demo() -> None:
        use_identity()  # before the demo: its entries are signed by whoever is typing
        window.incident_commands.load_demo()

    def finished(result: int) -> None:
        save_welcomed(data_dir)
        if result == QDialog.DialogCode.Accepted:
            use_identity()

    dialog.sig_demo_requested.connect(load_demo)
    dialog.finished.connect(finished)
    dialog.show()
    centre_over(dialog, window)
    return dialog


def centre_over(dialog: QWidget, window: QWidget) -> None:
    """Place ``dialog`` in the middle of ``window`` (window managers put a non-modal dialog
    wherever they like, often over the incident list at the top left)."""
    dialog.adjustSize()
    frame = dialog.frameGeometry()
    frame.moveCenter(window.frameGeometry().center())
    dialog.move(frame.topLeft())
