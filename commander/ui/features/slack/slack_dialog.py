"""*Incident → Connect Slack channel…*: which channel, which messages, and the bot token.

The form is checked on OK (channel id, reaction name) with the refusal inline; the token
goes to the keyring and the connection is saved on a worker (keyring calls may block).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.integrations.secrets import InsecureKeyring, Keeper
from commander.integrations.slack_reader import parse_channel
from commander.integrations.slack_token import SlackToken
from commander.services.slack_import import DEFAULT_REACTION, SlackImportService, check_reaction
from commander.services.slack_link import ALL, SlackLink
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.tasks import TaskRunner
from commander.ui.shell.secrets_question import ask_insecure

MARKED, EVERY = 0, 1


class SlackDialog(FormDialog):
    """Connects ``incident``; ``result_value`` is the saved ``SlackLink``."""

    def __init__(
        self,
        incident: Incident,
        service: SlackImportService,
        tokens: SlackToken,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        current: SlackLink | None = None,
    ) -> None:
        super().__init__(f"Connect Slack channel — {incident.ref}", parent)
        self._incident = incident
        self._service = service
        self._tokens = tokens
        self._tasks = tasks
        self._current = current
        self._pending: tuple[str, str, str] = ("", "", "")
        self.question: object | None = None
        self.result_value: SlackLink | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        form = QFormLayout()
        current = self._current
        self.channel_edit = QLineEdit(current.channel if current else "", self)
        self.channel_edit.setAccessibleName("Slack channel")
        self.channel_edit.setPlaceholderText("C0123ABCD, or the channel's copied link")
        form.addRow("&Channel:", self.channel_edit)
        self.which_combo = QComboBox(self)
        self.which_combo.setAccessibleName("Messages to log")
        self.which_combo.addItems(["Messages marked with a reaction", "Every message"])
        self.reaction_edit = QLineEdit(DEFAULT_REACTION, self)
        self.reaction_edit.setAccessibleName("Reaction name")
        if current is not None and current.reaction == ALL:
            self.which_combo.setCurrentIndex(EVERY)
        elif current is not None:
            self.reaction_edit.setText(current.reaction)
        self.which_combo.currentIndexChanged.connect(self._on_which)
        form.addRow("&Log:", self.which_combo)
        form.addRow("&Reaction:", self.reaction_edit)
        self.token_edit = QLineEdit(self)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setAccessibleName("Bot token")
        self.token_edit.setPlaceholderText("xoxb-…; leave empty to keep the stored token")
        form.addRow("Bot &token:", self.token_edit)
        note = QLabel(
            "Messages are logged as communication entries at the time they were posted, with "
            "their sender and a link back. Invite the bot to the channel first; it needs the "
            "channels:history (or groups:history) and users:read scopes."
        )
        note.setWordWrap(True)
        self._layout.addLayout(form)
        self._layout.addWidget(note)
        self._finish_layout()
        self._on_which(self.which_combo.currentIndex())
        self.resize(520, 300)

    def _on_which(self, index: int) -> None:
        self.reaction_edit.setEnabled(index == MARKED)

    def _submit(self) -> None:
        channel = parse_channel(self.channel_edit.text())
        every = self.which_combo.currentIndex() == EVERY
        reaction = ALL if every else check_reaction(self.reaction_edit.text())
        self._pending = (channel, reaction, self.token_edit.text().strip())

    def _on_ok(self) -> None:
        try:
            self._submit()
        except CommanderError as err:
            self.show_error(str(err))
            return
        self._store(*self._pending)

    def _store(self, channel: str, reaction: str, token: str, accept: Keeper | None = None) -> None:
        tokens, service, incident_id = self._tokens, self._service, self._incident.id
        api_url = self._current.api_url if self._current else None

        def work() -> SlackLink:
            if accept is not None:
                tokens.store.accept_insecure(accept)
            if token:  # first: a refused token leaves the incident as it was
                tokens.set(token)
            elif not tokens.get():
                raise CommanderError("No bot token is stored yet; paste the bot's xoxb- token.")
            if api_url:
                return service.connect(incident_id, channel, reaction=reaction, api_url=api_url)
            return service.connect(incident_id, channel, reaction=reaction)

        def done(link: SlackLink) -> None:
            self.buttons.setEnabled(True)
            self.result_value = link
            self.accept()

        def failed(error: Exception) -> None:
            self.buttons.setEnabled(True)
            if isinstance(error, InsecureKeyring):
                keeper = error.keeper
                retry: Callable[[bool], None] = lambda yes: (  # noqa: E731
                    self._store(channel, reaction, token, keeper)
                    if yes
                    else self.show_error("The token was not stored: " + str(error))
                )
                self.question = ask_insecure(self, keeper, retry)
            else:
                self.show_error(str(error))

        self.buttons.setEnabled(False)
        self._tasks.submit(work, done, failed)
