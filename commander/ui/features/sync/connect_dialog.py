"""Connect to shared database…: a URL and a password that goes to the keyring only."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from commander.sync.url import ServerUrl
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.themes import set_role

URL_PLACEHOLDER = "postgresql+psycopg://responder@db.example.org:5432/commander?sslmode=require"


@dataclass(frozen=True)
class ConnectForm:
    server: ServerUrl
    password: str | None
    remember: bool


class ConnectDialog(FormDialog):
    """Asks for the shared database's URL and password; checks the URL's form only.

    Connecting happens on the sync worker, never here: the dialog closes at once and the
    status bar shows Connecting / Online / Offline.
    """

    def __init__(
        self,
        *,
        url: str = "",
        keyring_note: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Connect to shared database", parent)
        self.result_value: ConnectForm | None = None
        self._setup_ui(url, keyring_note)

    def _setup_ui(self, url: str, keyring_note: str | None) -> None:
        intro = QLabel(
            "Changes sync with the shared PostgreSQL whenever it is reachable; "
            "offline, everything keeps working and waits here.",
            self,
        )
        intro.setWordWrap(True)
        self._layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit(url, self)
        self.url_edit.setPlaceholderText(URL_PLACEHOLDER)
        self.url_edit.setAccessibleName("Database URL")
        self.url_edit.setMinimumWidth(520)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Password")
        self.password_edit.setPlaceholderText("leave empty for PGPASSWORD or no password")
        self.remember_check = QCheckBox("Remember the password (keyring or secrets file)", self)
        self.remember_check.setAccessibleName("Remember the password")
        self.remember_check.setChecked(keyring_note is None)
        self.remember_check.setEnabled(keyring_note is None)
        form.addRow("&URL", self.url_edit)
        form.addRow("&Password", self.password_edit)
        form.addRow("", self.remember_check)
        self._layout.addLayout(form)
        if keyring_note:
            note = QLabel(keyring_note, self)
            note.setWordWrap(True)
            set_role(note, "muted")
            note.setAccessibleName("Keyring note")
            self._layout.addWidget(note)
        self._finish_layout()
        self.buttons.button(self.buttons.StandardButton.Ok).setText("Connect")

    def _submit(self) -> None:
        server = ServerUrl.parse(self.url_edit.text())
        password = self.password_edit.text() or server.password or None
        self.result_value = ConnectForm(
            server=ServerUrl.parse(server.redacted),  # the password travels separately
            password=password,
            remember=self.remember_check.isChecked(),
        )
