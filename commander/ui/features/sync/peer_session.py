"""Laptop-to-laptop sync run by the window: the peer server, the 30-second rounds, admission.

Everything that touches the network or the workspace runs on workers: the ``PeerServer`` on
its own thread (each connection on another), each round of exchanges and every read or write
of the peer list on this session's ``TaskRunner``. Results come back as signals on the GUI
thread; the window refreshes when changes arrived, as after a pull from the server.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer, Signal

from commander.core.errors import CommanderError
from commander.core.signing import fingerprint
from commander.services.peer.admission import Peer, admit, forget, list_peers
from commander.services.peer.exchange import Exchanged
from commander.services.peer.net import PeerServer
from commander.services.peer.rounds import (
    Round,
    ServeSettings,
    add_address,
    drop_fingerprint,
    exchange_round,
    load_serve,
    save_serve,
)
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner

ROUND_MS = 30_000
PENDING_NOTE = (
    "A peer asks to sync with this laptop: Sync → Laptop to laptop… shows its person and "
    "fingerprint to admit."
)


class PeerSession(QObject):
    """The peer server and exchange loop of one window.

    Signals:
        sig_peers(list): the admitted and pending peers, re-read.
        sig_message(str): what happened, in one sentence.
        sig_changes(): changes arrived from a peer (the window refreshes).
        sig_pending(str): a new peer asks to be admitted (the status bar says so).
        sig_serving(bool, str): listening or not, and where.
        sig_identity(str): this laptop's person and key fingerprint, once read.
    """

    sig_peers = Signal(list)
    sig_message = Signal(str)
    sig_changes = Signal()
    sig_pending = Signal(str)
    sig_serving = Signal(bool, str)
    sig_identity = Signal(str)
    _sig_event = Signal(str)  # from the server's threads
    _sig_exchanged = Signal(object)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._tasks = TaskRunner(self, threads=2)
        self._server: PeerServer | None = None
        self._stop: threading.Event | None = None
        self.serve_thread: threading.Thread | None = None
        self.settings = ServeSettings()
        self.identity = ""
        self._round_busy = False
        self._pending: set[str] | None = None
        self.peers: list[Peer] = []
        self.timer = QTimer(self)
        self.timer.setInterval(ROUND_MS)
        self.timer.timeout.connect(self.run_round)
        self._sig_event.connect(self._on_event)
        self._sig_exchanged.connect(self._on_exchanged)

    @property
    def serving(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> str:
        server = self._server
        return f"{server.host}:{server.port}" if server is not None else ""

    def start(self, *, autostart: bool = True) -> None:
        """Read the saved settings and the peers; serve again if it served last time."""
        workspace = self._ws

        def done(settings: ServeSettings) -> None:
            self.settings = settings
            if autostart and settings.serving:
                self.serve(settings.host, settings.port)

        self._tasks.submit(lambda: load_serve(workspace), done, self._failed)
        self.refresh()

    def load_identity(self) -> None:
        """This laptop's person and key fingerprint, read on a worker (a keyring may block).

        Not read at start: the node key is made on first use, and only the dialog needs it.
        """
        workspace = self._ws

        def done(key: str) -> None:
            self.identity = f"{workspace.author}, key {key}"
            self.sig_identity.emit(self.identity)

        self._tasks.submit(lambda: fingerprint(workspace.signer().public_key), done, _ignore)

    # -- serving -------------------------------------------------------------------------

    def serve(self, host: str, port: int) -> None:
        """Listen on ``host:port`` (bound on a worker) and start the 30-second rounds."""
        if self._server is not None:
            return
        workspace = self._ws

        def work() -> PeerServer:
            server = PeerServer(
                workspace,
                host,
                port,
                on_event=self._sig_event.emit,
                on_exchange=self._sig_exchanged.emit,
            )
            save_serve(workspace, ServeSettings(True, host, port))
            return server

        def done(server: PeerServer) -> None:
            stop = threading.Event()
            self._server, self._stop = server, stop
            self.settings = ServeSettings(True, host, port)
            self.serve_thread = threading.Thread(
                target=_serve_until, args=(server, stop), name="peer-server", daemon=True
            )
            self.serve_thread.start()
            self.timer.start()
            self.sig_serving.emit(True, self.address)
            self.sig_message.emit(f"Peers can reach this laptop at {self.address}.")

        def failed(error: Exception) -> None:
            self.sig_serving.emit(False, "")
            self._failed(error)

        self._tasks.submit(work, done, failed)

    def stop_serving(self, *, remember: bool = True) -> None:
        """Stop listening and the rounds; ``remember``: this laptop stays closed next time."""
        self.timer.stop()
        if self._stop is not None:
            self._stop.set()  # the server's thread closes its socket within a quarter second
        was = self._server is not None
        self._server, self._stop = None, None
        if remember:
            self.settings = ServeSettings(False, self.settings.host, self.settings.port)
            settings, workspace = self.settings, self._ws
            self._tasks.submit(lambda: save_serve(workspace, settings), _ignore, self._failed)
        if was:
            self.sig_serving.emit(False, "")
            self.sig_message.emit("Peers can no longer reach this laptop.")

    def shutdown(self) -> None:
        """The window closes: stop serving (still remembered as on) and wait briefly."""
        self.stop_serving(remember=False)
        self._tasks.wait(2000)

    # -- rounds and actions ----------------------------------------------------------------

    def run_round(self) -> None:
        """One exchange with every address to dial, on a worker (skipped while one runs)."""
        if self._round_busy:
            return
        self._round_busy = True
        workspace = self._ws

        def done(result: Round) -> None:
            self._round_busy = False
            self._after_round(result)

        def failed(error: Exception) -> None:
            self._round_busy = False
            self._failed(error)

        self._tasks.submit(lambda: exchange_round(workspace), done, failed)

    def contact(self, text: str) -> None:
        """Remember ``HOST:PORT`` and make the first contact (or an exchange) now."""
        workspace = self._ws

        def work() -> Round:
            return exchange_round(workspace, add_address(workspace, text))

        self._tasks.submit(work, self._after_round, self._failed)

    def admit(self, peer: Peer) -> None:
        workspace = self._ws

        def done(admitted: Peer) -> None:
            self.sig_message.emit(
                f"Admitted {admitted.author} (key {admitted.fingerprint}): exchanges with it "
                "are accepted from now on."
            )
            self.refresh()

        self._tasks.submit(lambda: admit(workspace, peer.fingerprint), done, self._failed)

    def forget(self, peer: Peer) -> None:
        workspace = self._ws

        def work() -> Peer:
            gone = forget(workspace, peer.fingerprint)
            drop_fingerprint(workspace, gone.fingerprint)
            return gone

        def done(gone: Peer) -> None:
            self.sig_message.emit(f"Forgot {gone.author} (key {gone.fingerprint}).")
            self.refresh()

        self._tasks.submit(work, done, self._failed)

    def refresh(self) -> None:
        workspace = self._ws
        self._tasks.submit(lambda: list_peers(workspace), self._show_peers, _ignore)

    # -- results -------------------------------------------------------------------------

    def _after_round(self, result: Round) -> None:
        if result.received:
            self.sig_changes.emit()
        if result.sentences:
            self.sig_message.emit(" ".join(result.sentences))
        self.refresh()

    def _show_peers(self, peers: list[Peer]) -> None:
        self.peers = peers
        pending = {peer.public_key for peer in peers if peer.status == "pending"}
        if self._pending is not None and pending - self._pending:
            self.sig_pending.emit(PENDING_NOTE)
        self._pending = pending
        self.sig_peers.emit(peers)

    def _on_event(self, _sentence: str) -> None:
        self.refresh()  # a first contact or a refusal changes the list

    def _on_exchanged(self, done: Exchanged) -> None:
        if done.received:
            self.sig_changes.emit()

    def _failed(self, error: Exception) -> None:
        text = str(error) if isinstance(error, CommanderError) else f"Peer sync failed: {error}"
        self.sig_message.emit(text)
        self.refresh()


def _serve_until(server: PeerServer, stop: threading.Event) -> None:
    try:
        server.serve(stop)
    finally:
        server.close()


def _ignore(_value: object) -> None:
    """A result nobody waits for (a saved setting)."""
