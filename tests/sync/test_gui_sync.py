"""Two windows on two workspaces: an entry typed in one appears in the other via NOTIFY."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings, Qt

from commander.app import build_main_window
from commander.integrations.secrets import MemoryKeyring
from commander.services.incidents import IncidentService
from commander.sync.url import ServerUrl
from commander.ui.features.sync.connect_dialog import ConnectDialog
from tests.sync.helpers import sync_once

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _window(qtbot, ws, tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    win = build_main_window(ws, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _connect(qtbot, win, url: str, password: str = "") -> ConnectDialog:  # type: ignore[no-untyped-def]
    dialog = win.sync_ui.open_connect_dialog()
    dialog.url_edit.setText(url)
    dialog.password_edit.setText(password)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    return dialog


def test_entry_typed_in_one_window_appears_in_the_other(
    qtbot, make_workspace, server_url, tmp_path, memory_keyring
):
    server = ServerUrl.parse(server_url)
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    sync_once(bob, server)
    win_a, win_b = _window(qtbot, alice, tmp_path, "a"), _window(qtbot, bob, tmp_path, "b")
    for win in (win_a, win_b):
        win.poll_timer.stop()  # only the sync worker's signal may bring the entry in
    _connect(qtbot, win_a, server_url, password="s3cret-pw")
    _connect(qtbot, win_b, server_url)
    for win in (win_a, win_b):
        qtbot.waitUntil(lambda w=win: "Online" in w.sync_ui.status_widget.text(), timeout=5000)
    # the password went to the keyring only, keyed by the URL without it
    sync_secrets = {k: v for k, v in memory_keyring.passwords.items() if k[0] == "commander-sync"}
    assert sync_secrets == {("commander-sync", server.redacted): "s3cret-pw"}
    assert b"s3cret-pw" not in alice.path.read_bytes()
    win_a.select_incident(incident.id)
    win_b.select_incident(incident.id)
    panel = win_a.timeline_panel
    qtbot.keyClicks(panel.quick_entry.event_edit, "Failover started")
    qtbot.keyClick(panel.quick_entry.event_edit, Qt.Key.Key_Return)
    model_b = win_b.timeline_model
    qtbot.waitUntil(
        lambda: any(
            model_b.entry_at(row).event == "Failover started" for row in range(model_b.rowCount())
        ),
        timeout=1500,
    )
    win_b.grab().save(str(tmp_path / "b.png"))
    win_a.sync_ui.disconnect_server()
    assert "not connected" in win_a.sync_ui.status_widget.text()
    win_a.close()
    win_b.close()


def test_connect_dialog_refuses_a_wrong_url_inline(qtbot, make_workspace, tmp_path, memory_keyring):
    win = _window(qtbot, make_workspace("alice"), tmp_path, "a")
    dialog = _connect(qtbot, win, "mysql://someone@host/db")
    assert dialog.isVisible() and "not PostgreSQL" in dialog.error_label.text()
    assert not win.sync_ui.controller.running
    dialog.reject()
    win.close()


def test_a_plaintext_keyring_is_asked_about_before_the_password_goes_there(
    qtbot, make_workspace, server_url, tmp_path
):
    import base64

    from keyrings.alt.file import PlaintextKeyring
    from PySide6.QtWidgets import QMessageBox

    backend = PlaintextKeyring()  # in tmp_path: XDG_DATA_HOME (tests/conftest.py)
    keyring.set_keyring(backend)  # the autouse fixture restores the previous one
    win = _window(qtbot, make_workspace("alice"), tmp_path, "a")
    _connect(qtbot, win, server_url, password="PLAINpw12")
    qtbot.waitUntil(lambda: win.sync_ui.question is not None)  # the store refused on a worker
    assert "plain file" in win.sync_ui.question.text()
    assert not Path(backend.file_path).exists() and not win.sync_ui.controller.running
    win.sync_ui.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "Online" in win.sync_ui.status_widget.text(), timeout=5000)
    assert base64.b64encode(b"PLAINpw12") in Path(backend.file_path).read_bytes()
    assert "PlaintextKeyring" in win.statusBar().currentMessage()
    win.sync_ui.disconnect_server()
    win.close()


def test_the_next_window_reconnects_with_the_stored_password(
    qtbot, make_workspace, server_url, tmp_path, memory_keyring
):
    alice = make_workspace("alice")
    first = _window(qtbot, alice, tmp_path, "a")
    _connect(qtbot, first, server_url, password="KEPTpw13")
    qtbot.waitUntil(lambda: "Online" in first.sync_ui.status_widget.text(), timeout=5000)
    first.close()
    again = _window(qtbot, alice, tmp_path, "b")  # the password is read on a worker
    qtbot.waitUntil(lambda: "Online" in again.sync_ui.status_widget.text(), timeout=5000)
    assert again.sync_ui.controller.server is not None
    again.close()
