"""Where messages go: one tab per channel, secrets kept apart, a Test button per tab.

A secret field left empty keeps what is stored ("•••• saved" says so). The top line says where
secrets are kept. With no keyring it offers the owner-only secrets file or "keep for this
session only"; with a keyring backend that is a plain file it asks before storing. Which
backend keyring uses, which secrets exist, and storing them run in workers: only the question
runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from commander.core.channels import COMPONENT_STATUSES, STATUSPAGE_IMPACTS, Channel
from commander.core.errors import ValidationError
from commander.integrations import channel_settings as cs
from commander.integrations.channel_settings import ChannelSecrets, ChannelSettings
from commander.integrations.secrets import Keeper, Kind, use_file
from commander.integrations.senders import teams_url_warning
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role
from commander.ui.features.comms.channel_settings_test import ChannelTestRows
from commander.ui.shell.secrets_question import ask_insecure


class ChannelSettingsDialog(ChannelTestRows, FormDialog):
    """Configure Slack, Teams, email, status page, PagerDuty and the generic webhook."""

    def __init__(
        self,
        data_dir: Path,
        secrets: ChannelSecrets,
        tasks: TaskRunner,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
        *,
        exercise: bool = False,
    ) -> None:
        super().__init__("Channels", parent)
        self._exercise = exercise  # an exercise workspace sends no test message either
        self._data_dir = data_dir
        self._secrets = secrets
        self._tasks = tasks
        self._now = now
        try:
            self._settings = cs.load_channel_settings(data_dir)
        except ValidationError as err:
            self._settings = ChannelSettings()
            self.show_error(str(err))
        self.secret_edits: dict[str, QLineEdit] = {}
        self._placeholders: dict[str, str] = {}
        self.test_labels: dict[Channel, QLabel] = {}
        self.test_buttons: dict[Channel, QPushButton] = {}
        self.keeper: Keeper | None = None  # known once the worker has looked
        self.question: QMessageBox | None = None
        self.saving = False
        self._ok_pending = False
        self._setup_ui()
        self._tasks.submit(
            lambda: (secrets.keeper(), secrets.present()), self._on_store_known, self._on_failed
        )

    # -- building --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setMinimumWidth(620)
        self.keyring_label = QLabel(self)
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setAccessibleName("Keyring status")
        self.keyring_label.setText("Checking where secrets are kept…")
        self.file_check = QCheckBox(
            "Keep secrets in an owner-only file in the data directory (mode 0600)", self
        )
        self.file_check.setAccessibleName("Keep secrets in an owner-only file")
        self.session_only_check = QCheckBox("Keep secrets for this session only", self)
        self.session_only_check.setAccessibleName("Keep secrets for this session only")
        self.file_check.toggled.connect(
            lambda on: self.session_only_check.setChecked(False) if on else None
        )
        self.session_only_check.toggled.connect(
            lambda on: self.file_check.setChecked(False) if on else None
        )
        self.file_check.hide()
        self.session_only_check.hide()
        self._layout.addWidget(self.keyring_label)
        self._layout.addWidget(self.file_check)
        self._layout.addWidget(self.session_only_check)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Channels")
        self._layout.addWidget(self.tabs)
        s = self._settings

        slack = self._tab(Channel.SLACK)
        slack.addRow(
            "Incoming &webhook URL", self._secret(cs.SLACK_URL, "https://hooks.slack.com/…")
        )
        self._test_row(slack, Channel.SLACK)

        teams = self._tab(Channel.TEAMS)
        teams.addRow("&Workflows webhook URL", self._secret(cs.TEAMS_URL, "https://…/workflows/…"))
        self.teams_warning = QLabel(self)
        self.teams_warning.setWordWrap(True)
        set_role(self.teams_warning, "error")
        self.teams_warning.setAccessibleName("Teams URL warning")
        self.teams_warning.hide()
        teams.addRow("", self.teams_warning)
        self.secret_edits[cs.TEAMS_URL].textChanged.connect(self._on_teams_url)
        note = QLabel("Teams only says a message was accepted, not that it was delivered.", self)
        note.setWordWrap(True)
        teams.addRow("", note)
        self._test_row(teams, Channel.TEAMS)

        email = self._tab(Channel.EMAIL)
        self.smtp_host_edit = self._line(email, "SMTP &host", s.smtp_host)
        self.smtp_port_spin = QSpinBox(self)
        self.smtp_port_spin.setRange(1, 65535)
        self.smtp_port_spin.setValue(s.smtp_port)
        self.smtp_port_spin.setAccessibleName("SMTP port")
        email.addRow("&Port", self.smtp_port_spin)
        self.starttls_check = QCheckBox("Require STARTTLS", self)
        self.starttls_check.setChecked(s.smtp_starttls)
        self.starttls_check.setAccessibleName("Require STARTTLS")
        email.addRow("", self.starttls_check)
        self.smtp_ca_edit = QLineEdit(s.smtp_ca_file, self)
        self.smtp_ca_edit.setAccessibleName("SMTP CA file")
        self.smtp_ca_edit.setPlaceholderText("Only for a private CA; empty: the system's CAs")
        self.smtp_ca_edit.setToolTip(
            "A PEM file with the certificate authority that signed the mail server's "
            "certificate. Commander trusts it besides the system's CAs."
        )
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose SMTP CA file")
        browse.clicked.connect(self._on_browse_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.smtp_ca_edit, 1)
        ca_row.addWidget(browse)
        ca_label = QLabel("&CA file", self)
        ca_label.setBuddy(self.smtp_ca_edit)
        email.addRow(ca_label, ca_row)
        self.smtp_user_edit = self._line(email, "&User", s.smtp_user)
        email.addRow("Pass&word", self._secret(cs.SMTP_PASSWORD, ""))
        self.email_from_edit = self._line(email, "&From", s.email_from)
        self.email_to_edit = self._line(email, "&To (comma-separated)", ", ".join(s.email_to))
        self._test_row(email, Channel.EMAIL)

        page = self._tab(Channel.STATUSPAGE)
        self.page_id_edit = self._line(page, "&Page id", s.statuspage_page_id)
        self.components_edit = self._line(
            page, "&Component ids", ", ".join(s.statuspage_component_ids)
        )
        self.impact_combo = self._combo(page, "&Impact", STATUSPAGE_IMPACTS, s.statuspage_impact)
        self.component_status_combo = self._combo(
            page, "Component &status", COMPONENT_STATUSES, s.statuspage_component_status
        )
        page.addRow("&API key", self._secret(cs.STATUSPAGE_KEY, ""))
        self._test_row(page, Channel.STATUSPAGE)

        pager = self._tab(Channel.PAGERDUTY)
        pager.addRow("Events v2 &routing key", self._secret(cs.PAGERDUTY_KEY, ""))
        pager.addRow("", QLabel("Pages on P0 (trigger); the resolution resolves it.", self))
        self._test_row(pager, Channel.PAGERDUTY, "Test (triggers and resolves)")

        hook = self._tab(Channel.WEBHOOK)
        hook.addRow("&URL", self._secret(cs.WEBHOOK_URL, "https://…"))
        hook.addRow("&Signing secret", self._secret(cs.WEBHOOK_SECRET, "whsec_…"))
        self._test_row(hook, Channel.WEBHOOK)
        self._finish_layout()

    def _tab(self, channel: Channel) -> QFormLayout:
        page = QWidget(self)
        page.setAccessibleName(channel.label)
        self.tabs.addTab(page, channel.label)
        return QFormLayout(page)

    def _line(self, form: QFormLayout, label: str, value: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setAccessibleName(label.replace("&", ""))
        form.addRow(label, edit)
        return edit

    def _combo(
        self, form: QFormLayout, label: str, values: tuple[str, ...], current: str
    ) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(label.replace("&", ""))
        for value in values:
            combo.addItem(value.replace("_", " "), value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        form.addRow(label, combo)
        return combo

    def _secret(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        self._placeholders[name] = placeholder
        self.secret_edits[name] = edit
        return edit

    # -- where secrets are kept (learnt in a worker) ---------------------------------------

    def _on_store_known(self, known: tuple[Keeper, dict[str, bool]]) -> None:
        keeper, present = known
        self.keeper = keeper
        for name, edit in self.secret_edits.items():
            if present.get(name):
                edit.setPlaceholderText("•••• saved — type to replace")
        if keeper.kind is Kind.NONE:
            self.keyring_label.setText(
                "⚠ No keyring can keep secrets on this machine. Choose the owner-only file, "
                "or keep them for this session only (until Commander closes)."
            )
            set_role(self.keyring_label, "error")
            self.file_check.show()
            self.session_only_check.show()
        elif keeper.kind is Kind.INSECURE and not keeper.accepted:
            self.keyring_label.setText(
                f"⚠ Secrets would go to {keeper.describe()}: you will be asked before saving."
            )
            set_role(self.keyring_label, "error")
            self.file_check.show()
            self.session_only_check.show()
        else:
            self.keyring_label.setText(f"Secrets are kept in {keeper.describe()}.")
        if self._ok_pending:
            self._ok_pending = False
            self.show_error("")
            self._on_ok()

    def _on_failed(self, error: Exception) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        self.show_error(str(error) or type(error).__name__)

    def _on_browse_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "SMTP CA file", self.smtp_ca_edit.text(), "Certificates (*.pem *.crt);;All (*)"
        )
        if path:
            self.smtp_ca_edit.setText(path)

    def _on_teams_url(self, text: str) -> None:
        warning = teams_url_warning(text.strip())
        self.teams_warning.setText(warning)
        self.teams_warning.setVisible(bool(warning))

    # -- values ----------------------------------------------------------------------------

    def form_settings(self) -> ChannelSettings:
        return ChannelSettings(
            statuspage_page_id=self.page_id_edit.text().strip(),
            statuspage_component_ids=cs.split_list(self.components_edit.text()),
            statuspage_impact=str(self.impact_combo.currentData()),
            statuspage_component_status=str(self.component_status_combo.currentData()),
            statuspage_api_base=self._settings.statuspage_api_base,
            pagerduty_events_url=self._settings.pagerduty_events_url,
            smtp_host=self.smtp_host_edit.text().strip(),
            smtp_port=self.smtp_port_spin.value(),
            smtp_user=self.smtp_user_edit.text().strip(),
            smtp_starttls=self.starttls_check.isChecked(),
            smtp_ca_file=self.smtp_ca_edit.text().strip(),
            email_from=self.email_from_edit.text().strip(),
            email_to=cs.split_list(self.email_to_edit.text()),
            timeout_seconds=self._settings.timeout_seconds,
        ).validated()

    def typed_secrets(self) -> dict[str, str]:
        return {n: e.text().strip() for n, e in self.secret_edits.items() if e.text().strip()}

    # -- saving (in a worker) -----------------------------------------------------------

    def _on_ok(self) -> None:
        """Check the form here; ask about a plain-file keyring; store in a worker."""
        if self.saving:
            return
        try:
            settings = self.form_settings()
            cs.check_ca_file(settings.smtp_ca_file)  # a small local file: read before saving
        except ValidationError as err:
            self.show_error(str(err))
            return
        typed = self.typed_secrets()
        to_file = self.file_check.isChecked()
        session_only = self.session_only_check.isChecked()
        keeper = self.keeper
        if keeper is None and typed and not (to_file or session_only):
            self._ok_pending = True  # OK again as soon as the worker answers
            self.show_error("Checking where secrets are kept…")
            return
        if (
            typed
            and keeper is not None
            and keeper.kind is Kind.NONE
            and not (to_file or session_only)
        ):
            self.show_error(
                "No keyring can keep secrets here: choose the owner-only file or this "
                "session only (nothing was saved)."
            )
            return
        asking = keeper is not None and keeper.kind is Kind.INSECURE and not keeper.accepted
        if typed and asking and not (to_file or session_only):
            assert keeper is not None
            self.question = ask_insecure(
                self, keeper, lambda yes: self._on_insecure_answer(settings, typed, keeper, yes)
            )
            return
        self._save(settings, typed, to_file=to_file, session_only=session_only)

    def _on_insecure_answer(
        self, settings: ChannelSettings, typed: dict[str, str], keeper: Keeper, yes: bool
    ) -> None:
        if not yes:
            self.show_error(
                "Nothing was saved: choose the owner-only file or this session only, "
                "or install a system keyring."
            )
            return
        self._save(settings, typed, to_file=False, session_only=False, accept=keeper)

    def _save(
        self,
        settings: ChannelSettings,
        typed: dict[str, str],
        *,
        to_file: bool,
        session_only: bool,
        accept: Keeper | None = None,
    ) -> None:
        secrets, data_dir = self._secrets, self._data_dir

        def work() -> None:
            if accept is not None:
                secrets.store.accept_insecure(accept)
            if to_file:
                use_file(data_dir)
            for name, value in typed.items():  # a refusal raises before anything is saved
                secrets.set(name, value, session_only=session_only)
            cs.save_channel_settings(data_dir, settings)

        self.saving = True
        self.buttons.setEnabled(False)
        self.show_error("")
        self._tasks.submit(work, lambda _none: self._on_saved(), self._on_failed)

    def _on_saved(self) -> None:
        self.saving = False
        self.buttons.setEnabled(True)
        self.accept()

    def _submit(self) -> None:  # FormDialog's hook; saving goes through _on_ok above
        self._on_ok()
