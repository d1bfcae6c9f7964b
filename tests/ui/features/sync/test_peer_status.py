"""The status bar shows the peers this laptop syncs with directly, and how far behind each is."""

from __future__ import annotations

import threading
from datetime import UTC
from pathlib import Path

import pytest

from commander.core.errors import ValidationError
from commander.core.signing import fingerprint
from commander.services.incidents import IncidentService
from commander.services.peer.admission import admit
from commander.services.peer.net import PeerServer, sync_with
from commander.services.workspace import Workspace


def test_the_status_bar_shows_each_peer_and_how_far_behind(
    qtbot, window, workspace, tmp_path: Path, clock
) -> None:
    label = window.sync_ui.peer_status
    assert label.isHidden()  # no peer yet: nothing to show
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    server = PeerServer(bob, "127.0.0.1", 0, timeout=10)
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        with pytest.raises(ValidationError):
            sync_with(workspace, "127.0.0.1", server.port)  # first contact: pending both ways
        label.refresh()
        qtbot.waitUntil(lambda: label.text() == "Peers: 1 pending")
        admit(workspace, fingerprint(bob.signer().public_key))
        admit(bob, fingerprint(workspace.signer().public_key))
        sync_with(workspace, "127.0.0.1", server.port)
        label.refresh()
        qtbot.waitUntil(lambda: label.text() == "Peers: bob in sync")
        assert label.isVisible() and fingerprint(bob.signer().public_key) in label.toolTip()
        IncidentService(workspace).declare(title="API down", severity="P1")
        label.refresh()
        qtbot.waitUntil(lambda: label.text().startswith("Peers: bob ") and "behind" in label.text())
    finally:
        stop.set()
        thread.join(5)
        server.close()
        bob.close()
