"""The Test button of each channel tab: one message sent with the form as typed, before
anything is saved, in a worker; the row beside the button says how it went.

Kept apart from ``channel_settings_dialog``, which builds the form and saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QWidget

from commander.core.channels import Channel
from commander.core.errors import ValidationError
from commander.integrations import channel_settings as cs
from commander.integrations.channel_settings import ChannelSecrets, ChannelSettings
from commander.integrations.senders import DeliveryFailed
from commander.services.delivery import send_test_message
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role


class _FormSecrets:
    """Typed secrets first, then keyring: what Test uses before anything is saved."""

    def __init__(self, typed: dict[str, str], saved: ChannelSecrets) -> None:
        self._typed = typed
        self._saved = saved

    def get(self, name: str) -> str:
        return self._typed.get(name) or self._saved.get(name)


class ChannelTestRows:
    """Test rows of ``ChannelSettingsDialog``, which provides the attributes below."""

    test_labels: dict[Channel, QLabel]
    test_buttons: dict[Channel, QPushButton]
    _secrets: ChannelSecrets
    _tasks: TaskRunner
    _now: Callable[[], datetime]
    _exercise: bool
    form_settings: Callable[[], ChannelSettings]
    typed_secrets: Callable[[], dict[str, str]]

    def _test_row(self, form: QFormLayout, channel: Channel, text: str = "Test") -> None:
        button = QPushButton(text, self._parent_widget())
        button.setAccessibleName(f"Test {channel.label}")
        label = QLabel(self._parent_widget())
        label.setWordWrap(True)
        label.setAccessibleName(f"{channel.label} test result")
        button.clicked.connect(lambda: self.run_test(channel))
        self.test_buttons[channel] = button
        self.test_labels[channel] = label
        form.addRow(button, label)

    def _parent_widget(self) -> QWidget:
        assert isinstance(self, QWidget)  # mixed into the dialog
        return self

    def run_test(self, channel: Channel) -> None:
        label = self.test_labels[channel]
        try:
            settings = self.form_settings()
            cs.check_ca_file(settings.smtp_ca_file)  # a small local file: read before saving
        except ValidationError as err:
            label.setText(str(err))
            set_role(label, "error")
            return
        secrets = _FormSecrets(self.typed_secrets(), self._secrets)
        set_role(label, "")
        label.setText("Testing…")
        self.test_buttons[channel].setEnabled(False)

        def work() -> str:
            return send_test_message(
                channel,
                settings=settings,
                secrets=secrets,
                now=self._now(),
                exercise=self._exercise,
            )

        def done(answer: str) -> None:
            self.test_buttons[channel].setEnabled(True)
            set_role(label, "ok")
            label.setText(f"OK: {answer}")

        def failed(error: Exception) -> None:
            self.test_buttons[channel].setEnabled(True)
            set_role(label, "error")
            text = error.reason if isinstance(error, DeliveryFailed) else str(error)
            label.setText(f"Failed: {text}")

        self._tasks.submit(work, done, failed)
