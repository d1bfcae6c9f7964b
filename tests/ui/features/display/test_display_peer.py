"""The display follows a peer laptop read-only, as it follows the server (127.0.0.1 only)."""

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
from commander.storage import queries
from commander.ui.features.display.follow_peer import PEER_STALE_S, follow_peer


def _ops(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        return sorted(op.op_id for op in queries.ops_in_chain_order(conn))


def test_the_display_receives_from_a_peer_and_sends_it_nothing(
    qtbot, make_display, workspace, tmp_path: Path, clock
) -> None:
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    IncidentService(bob).declare(title="API down", severity="P1")
    server = PeerServer(bob, "127.0.0.1", 0, timeout=10)
    stop = threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
    thread.start()
    try:
        window = make_display()
        assert window.incidents == []
        follower = follow_peer(window, workspace, "127.0.0.1", server.port)
        assert window.source == f"peer 127.0.0.1:{server.port}"
        assert window.stale_after_s == PEER_STALE_S
        qtbot.waitUntil(lambda: follower.last_error is not None, timeout=10_000)
        assert "not admitted" in follower.last_error and follower.cycles == 0
        with pytest.raises(ValidationError):
            sync_with(workspace, "127.0.0.1", server.port)  # pending both ways already
        admit(workspace, fingerprint(bob.signer().public_key))
        admit(bob, fingerprint(workspace.signer().public_key))
        before = _ops(bob)
        follower.exchange()
        qtbot.waitUntil(lambda: follower.cycles == 1, timeout=10_000)
        assert follower.last_error is None
        qtbot.waitUntil(lambda: [i.title for i in window.incidents] == ["API down"])
        assert _ops(bob) == before  # the display authored nothing, so it sent nothing
        follower.stop()
        assert not follower.timer.isActive()
    finally:
        stop.set()
        thread.join(5)
        server.close()
        bob.close()
