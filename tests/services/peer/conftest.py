"""Peer fixtures: workspaces by author and a real ``PeerServer`` thread on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.services.peer.net import PeerServer
from commander.services.workspace import Workspace


@pytest.fixture
def make(tmp_path: Path, clock: FakeClock) -> Iterator:
    made: list[Workspace] = []

    def _make(author: str) -> Workspace:
        ws = Workspace.open(tmp_path / author, author=author, clock=clock, zone=UTC)
        made.append(ws)
        return ws

    yield _make
    for ws in made:
        ws.close()


@pytest.fixture
def serve() -> Iterator:
    running: list[tuple[PeerServer, threading.Event, threading.Thread]] = []

    def _serve(ws: Workspace) -> tuple[PeerServer, list[str]]:
        events: list[str] = []
        server = PeerServer(ws, "127.0.0.1", 0, on_event=events.append, timeout=10)
        stop = threading.Event()
        thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
        thread.start()
        running.append((server, stop, thread))
        return server, events

    yield _serve
    for server, stop, thread in running:
        stop.set()
        thread.join(5)
        server.close()
