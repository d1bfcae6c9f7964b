"""The Channels dialog and where secrets go: the owner-only file when there is no keyring, a
question before a plain-file keyring, and keyring calls only off the GUI thread."""

from __future__ import annotations

import base64
import json
import threading
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QMessageBox

from commander.integrations.channel_settings import SLACK_URL, ChannelSecrets
from commander.integrations.secrets import MemoryKeyring
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.comms.channel_settings_dialog import ChannelSettingsDialog

URL = "https://hooks.slack.com/services/T/B/GUIsecret9"


class _ThreadRecordingKeyring(MemoryKeyring):
    """The in-memory backend, noting which thread made each call."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.append(threading.current_thread().name)
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.append(threading.current_thread().name)
        super().set_password(service, username, password)


@pytest.fixture
def open_dialog(qtbot, data_dir: Path, clock):  # type: ignore[no-untyped-def]
    tasks = TaskRunner()

    def _open() -> ChannelSettingsDialog:
        dialog = ChannelSettingsDialog(data_dir, ChannelSecrets(data_dir), tasks, clock.now)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.keeper is not None)  # learnt in a worker
        return dialog

    yield _open
    tasks.wait()


def test_keyring_is_only_called_from_workers(qtbot, open_dialog, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    backend = _ThreadRecordingKeyring()
    keyring.set_keyring(backend)
    dialog = open_dialog()
    assert "system keyring (_ThreadRecordingKeyring)" in dialog.keyring_label.text()
    dialog.secret_edits[SLACK_URL].setText(URL)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert URL in backend.passwords.values()
    assert backend.threads and threading.main_thread().name not in backend.threads
    assert URL not in (data_dir / "channels.json").read_text()


def test_without_a_keyring_the_owner_only_file_can_be_chosen(qtbot, open_dialog, data_dir) -> None:  # type: ignore[no-untyped-def]
    # The suite's default backend is keyring's "fail" (tests/conftest.py).
    dialog = open_dialog()
    assert "No keyring can keep secrets" in dialog.keyring_label.text()
    assert not dialog.file_check.isHidden() and not dialog.session_only_check.isHidden()
    dialog.secret_edits[SLACK_URL].setText(URL)
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "nothing was saved" in dialog.error_label.text()
    assert not (data_dir / "channels.json").exists()
    dialog.file_check.setChecked(True)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    secrets_file = data_dir / "secrets.json"
    assert (secrets_file.stat().st_mode & 0o777) == 0o600
    assert URL in secrets_file.read_text()
    assert json.loads((data_dir / "settings.json").read_text())["secrets"]["store"] == "file"
    again = open_dialog()
    assert "owner-only file" in again.keyring_label.text()
    assert "saved" in again.secret_edits[SLACK_URL].placeholderText()


def test_a_plaintext_keyring_is_asked_about_before_storing(qtbot, open_dialog, data_dir) -> None:  # type: ignore[no-untyped-def]
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()  # in tmp_path: XDG_DATA_HOME (tests/conftest.py)
    keyring.set_keyring(backend)
    dialog = open_dialog()
    assert "PlaintextKeyring, a plain file" in dialog.keyring_label.text()
    dialog.secret_edits[SLACK_URL].setText(URL)
    dialog.buttons.accepted.emit()
    box = dialog.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "plain file" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    assert dialog.isVisible() and "Nothing was saved" in dialog.error_label.text()
    assert not Path(backend.file_path).exists()
    dialog.buttons.accepted.emit()
    dialog.question.button(QMessageBox.StandardButton.Yes).click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert base64.b64encode(URL.encode()) in Path(backend.file_path).read_bytes()
    # Accepted for this workspace: the next dialog does not ask again.
    assert "you will be asked" not in open_dialog().keyring_label.text()


def test_the_monitoring_token_asks_about_a_plaintext_keyring(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from keyrings.alt.file import PlaintextKeyring

    from commander.integrations.monitoring_settings import MonitoringSettings, SourceTokens
    from commander.ui.features.alerts.monitoring_dialog import MonitoringDialog

    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    saved: list[MonitoringSettings] = []
    tokens = SourceTokens(data_dir=data_dir)
    tasks = TaskRunner()
    dialog = MonitoringDialog(MonitoringSettings(), tokens, saved.append, tasks=tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.sources_edit.setPlainText("http://127.0.0.1:9093")
    dialog.token_url_edit.setText("http://127.0.0.1:9093")
    dialog.token_edit.setText("MONtoken10")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.question is not None)  # refused on the worker
    dialog.question.button(QMessageBox.StandardButton.No).click()
    assert dialog.isVisible() and "The token was not stored" in dialog.error_label.text()
    assert saved == [] and not Path(backend.file_path).exists()
    dialog.question = None
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.question is not None)
    dialog.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert saved[0].sources == ("http://127.0.0.1:9093",)
    assert tokens.get("http://127.0.0.1:9093") == "MONtoken10"
