"""The sync worker's owner on the GUI side: starts, stops and listens to ``LiveSync``.

``LiveSync`` runs in a ``QThread``; its callbacks emit this object's signals from that
thread, and Qt queues them to the GUI thread. Nothing here touches the network on the GUI
thread: starting only launches the thread; stopping only sets a flag and shuts sockets.

Signals:
    sig_status(SyncStatus): the worker's state changed.
    sig_pulled(PullResult): a pull changed the workspace; views should refresh.
    sig_stopped(): the worker thread ended (disconnected).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal

from commander.integrations.secrets import SecretStore
from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.sync.local import META_URL
from commander.sync.status import SyncStatus
from commander.sync.url import ServerUrl

if TYPE_CHECKING:  # psycopg loads when sync starts, not with the window (start-up time)
    from commander.sync.live import LiveSync

log = logging.getLogger(__name__)


class _SyncThread(QThread):
    def __init__(self, loop: LiveSync, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loop = loop

    def run(self) -> None:
        try:
            self.loop.run()
        except Exception:  # never let the worker die silently
            log.exception("sync worker failed")


class SyncController(QObject):
    """Owns the sync worker of one workspace."""

    sig_status = Signal(object)
    sig_pulled = Signal(object)
    sig_stopped = Signal()
    sig_woken = Signal()  # a sync was asked for now (a local write, or Sync now)

    def __init__(
        self,
        workspace: Workspace,
        secrets: SecretStore,
        parent: QObject | None = None,
        *,
        poll_s: float = 30.0,
        pull_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self._pull_only = pull_only
        self._ws = workspace
        self._secrets = secrets
        self._poll_s = poll_s
        self._thread: _SyncThread | None = None
        self._orphans: set[_SyncThread] = set()
        self.server: ServerUrl | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def saved_url(self) -> str | None:
        with self._ws.read() as conn:
            return oplog.read_meta(conn, META_URL)

    def remember_and_start(self, server: ServerUrl, password: str | None) -> None:
        """Remember the URL (without password) for next time and start the worker; the
        password was stored (or not) by the caller, off the GUI thread."""
        with self._ws.write() as conn:
            oplog.write_meta(conn, META_URL, server.redacted)
        self.start(server, password)

    def start(self, server: ServerUrl, password: str | None) -> None:
        self.stop()
        self.server = server
        from commander.sync.engine import SyncEngine
        from commander.sync.live import LiveSync

        engine = SyncEngine(
            self._ws.engine, node_id=self._ws.node_id, clock=self._ws.clock, signer=self._ws.signer
        )
        loop = LiveSync(
            engine,
            server,
            password,
            on_status=self.sig_status.emit,
            on_pulled=self.sig_pulled.emit,
            poll_s=self._poll_s,
            pull_only=self._pull_only,
        )
        self._thread = _SyncThread(loop, self)
        self._thread.finished.connect(self.sig_stopped.emit)
        self._thread.start()

    def wake(self) -> None:
        """Sync now (a local write, or the user asked)."""
        self.sig_woken.emit()
        if self._thread is not None:
            self._thread.loop.wake()

    def cycles(self) -> int:
        """Sync cycles the current worker completed (the display's freshness)."""
        return self._thread.loop.cycles if self._thread is not None else 0

    def status(self) -> SyncStatus | None:
        return self._thread.loop.status if self._thread is not None else None

    def stop(self, wait_ms: int = 3000) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.loop.stop()
        if not thread.wait(wait_ms):
            # Still inside a connect attempt (bounded by its timeout): keep the thread alive
            # until it ends instead of destroying a running QThread.
            self._orphans.add(thread)
            thread.finished.connect(lambda: self._orphans.discard(thread))

    def disconnect_server(self) -> None:
        """Stop syncing and forget the URL (the keyring entry stays for next time)."""
        self.stop()
        self.server = None
        with self._ws.write() as conn:
            oplog.write_meta(conn, META_URL, "")
