"""Peer sync from the window: the dialog, its server, admission, the rounds, and closing.

Real ``PeerServer``s and real TLS on 127.0.0.1 only; the window's workspace is alice's.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from commander.core.errors import ValidationError
from commander.core.signing import fingerprint
from commander.services.incidents import IncidentService
from commander.services.peer.admission import admit, list_peers
from commander.services.peer.net import PeerServer, sync_with
from commander.services.peer.rounds import (
    ServeSettings,
    dial_addresses,
    load_serve,
    save_serve,
)
from commander.services.workspace import Workspace
from commander.storage import queries


@pytest.fixture
def bob(tmp_path: Path, clock) -> Iterator[Workspace]:  # type: ignore[no-untyped-def]
    ws = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    yield ws
    ws.close()


def _ops(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        return sorted(op.op_id for op in queries.ops_in_chain_order(conn))


def _serve_from_dialog(qtbot, window):  # type: ignore[no-untyped-def]
    session = window.sync_ui.peers
    dialog = window.sync_ui.open_peers()
    dialog.host.setCurrentText("127.0.0.1")
    dialog.port.setValue(0)  # any free port
    with qtbot.waitSignal(session.sig_serving, timeout=10_000):
        dialog.serving.setChecked(True)
    assert session.serving and session.timer.isActive()
    return session, dialog


def _admit_in_dialog(qtbot, dialog, key: str) -> None:  # type: ignore[no-untyped-def]
    wanted = fingerprint(key)
    qtbot.waitUntil(lambda: dialog.select_fingerprint(wanted), timeout=10_000)
    assert dialog.selected().status == "pending" and dialog.button_admit.isEnabled()
    qtbot.mouseClick(dialog.button_admit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: [(p.fingerprint, p.status) for p in dialog.model.peers()] == [(wanted, "admitted")],
        timeout=10_000,
    )


def test_a_peer_syncing_with_the_windows_server_converges_once_both_admit(
    qtbot, window, workspace, bob
) -> None:
    IncidentService(workspace).declare(title="API down", severity="P1")
    IncidentService(bob).declare(title="Queue stuck", severity="P2")
    session, dialog = _serve_from_dialog(qtbot, window)
    assert load_serve(workspace) == ServeSettings(True, "127.0.0.1", 0)
    port = int(session.address.rsplit(":", 1)[1])

    with pytest.raises(ValidationError, match="not admitted"):
        sync_with(bob, "127.0.0.1", port)  # first contact: pending on both sides
    qtbot.waitUntil(lambda: "asks to sync" in window.statusBar().currentMessage(), timeout=10_000)
    row = dialog.model.peers()[0]
    assert (row.author, row.status) == ("bob", "pending")
    qtbot.waitUntil(lambda: window.sync_ui.peer_status.text() == "Peers: 1 pending")
    _admit_in_dialog(qtbot, dialog, bob.signer().public_key)
    admit(bob, fingerprint(workspace.signer().public_key))

    with qtbot.waitSignal(session.sig_changes, timeout=10_000):
        done = sync_with(bob, "127.0.0.1", port)
    assert done.received > 0 and done.sent > 0
    assert _ops(workspace) == _ops(bob)
    qtbot.waitUntil(lambda: window.sync_ui.peer_status.text() == "Peers: bob in sync")
    mine = fingerprint(workspace.signer().public_key)
    assert dialog.identity.text() == f"This laptop: alice, key {mine}"


def test_a_peer_added_by_address_is_admitted_and_the_round_syncs_it(
    qtbot, window, workspace, bob
) -> None:
    IncidentService(bob).declare(title="Queue stuck", severity="P2")
    server = PeerServer(bob, "127.0.0.1", 0, timeout=10)
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        session = window.sync_ui.peers
        dialog = window.sync_ui.open_peers()
        dialog.address.setText("not an address")
        qtbot.mouseClick(dialog.button_add, Qt.MouseButton.LeftButton)
        assert "is not HOST:PORT" in dialog.status.text()
        dialog.address.setText(f"127.0.0.1:{server.port}")
        qtbot.mouseClick(dialog.button_add, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "not admitted here" in dialog.status.text(), timeout=10_000)
        assert list(dial_addresses(workspace)) == [f"127.0.0.1:{server.port}"]
        _admit_in_dialog(qtbot, dialog, bob.signer().public_key)

        qtbot.mouseClick(dialog.button_sync, Qt.MouseButton.LeftButton)  # bob has not admitted
        qtbot.waitUntil(lambda: "pending on their side" in dialog.status.text(), timeout=10_000)
        assert _ops(workspace) == []
        admit(bob, fingerprint(workspace.signer().public_key))
        with qtbot.waitSignal(session.sig_changes, timeout=10_000):
            session.run_round()
        qtbot.waitUntil(lambda: "Synced with bob" in dialog.status.text(), timeout=10_000)
        assert _ops(workspace) == _ops(bob) != []
        assert dial_addresses(workspace) == {
            f"127.0.0.1:{server.port}": fingerprint(bob.signer().public_key)
        }
    finally:
        stop.set()
        thread.join(5)
        server.close()


def test_closing_the_window_stops_the_server_and_the_rounds(qtbot, window, workspace) -> None:
    session, _dialog = _serve_from_dialog(qtbot, window)
    port = int(session.address.rsplit(":", 1)[1])
    thread = session.serve_thread
    assert thread is not None
    window.close()
    assert not session.timer.isActive() and not session.serving
    thread.join(5)
    assert not thread.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert load_serve(workspace).serving  # remembered: the next window serves again
    assert list_peers(workspace) == []


def test_a_window_serves_again_where_the_workspace_served_last_time(
    qtbot, window, workspace
) -> None:
    session = window.sync_ui.peers
    assert not session.serving  # never served: closed by default
    save_serve(workspace, ServeSettings(True, "127.0.0.1", 0))
    with qtbot.waitSignal(session.sig_serving, timeout=10_000):
        session.start()
    assert session.serving and session.address.startswith("127.0.0.1:")
    dialog = window.sync_ui.open_peers()
    assert dialog.serving.isChecked() and not dialog.port.isEnabled()
    with qtbot.waitSignal(session.sig_serving, timeout=10_000):
        dialog.serving.setChecked(False)
    assert not session.serving and not session.timer.isActive()
    qtbot.waitUntil(lambda: not load_serve(workspace).serving, timeout=10_000)
