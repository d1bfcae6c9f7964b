"""The display following a peer laptop, as it follows the server: read-only, over a replica.

The display's own workspace (a replica under ``display``) authors nothing, so an exchange
sends the peer nothing it lacks; it only receives, verified as any peer exchange. Each
exchange runs on a worker every few seconds; a completed one is the freshness signal, and a
failed one (a peer away, or not yet admitted on either side) leaves the screen going STALE
with the sentence as its last error.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from commander.core.errors import CommanderError
from commander.services.peer.exchange import Exchanged
from commander.services.peer.net import sync_with
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.display.window import DisplayWindow

PEER_POLL_S = 5.0
PEER_STALE_S = 3 * PEER_POLL_S + 5.0


class PeerFollower(QObject):
    """Exchanges with the peer at ``host:port`` every ``PEER_POLL_S`` and repaints after."""

    def __init__(self, window: DisplayWindow, workspace: Workspace, host: str, port: int) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._host, self._port = host, port
        self._tasks = TaskRunner(self, threads=1)
        self._busy = False
        self.cycles = 0
        self.last_error: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(int(PEER_POLL_S * 1000))
        self.timer.timeout.connect(self.exchange)
        window.source = f"peer {host}:{port}"
        window.stale_after_s = PEER_STALE_S
        window.cycle_count = lambda: self.cycles
        window.destroyed.connect(self.timer.stop)

    def start(self) -> None:
        self.timer.start()
        self.exchange()

    def exchange(self) -> None:
        if self._busy:
            return
        self._busy = True
        workspace, host, port = self._ws, self._host, self._port
        self._tasks.submit(lambda: sync_with(workspace, host, port), self._done, self._failed)

    def _done(self, done: Exchanged) -> None:
        self._busy = False
        self.cycles += 1
        self.last_error = None
        if done.received:
            self._window.poll()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.last_error = str(error) if isinstance(error, CommanderError) else repr(error)

    def stop(self) -> None:
        self.timer.stop()
        self._tasks.wait(2000)


def follow_peer(window: DisplayWindow, workspace: Workspace, host: str, port: int) -> PeerFollower:
    """Receive from the peer at ``host:port`` into ``workspace`` (the display's replica)."""
    follower = PeerFollower(window, workspace, host, port)
    follower.start()
    return follower
