"""One Commander window per workspace: a second start hands over to the first and exits.

Two windows on one SQLite workspace would both write ops and poll each other's changes; it
works, but it is never what the user meant. The *lock file* in the data dir decides who is
first (QLockFile notices a lock left by a crashed process, so a crash never locks anyone
out); the *local socket* only carries the message "activate" to the window that holds it.
Because only the lock holder listens, removing a stale socket file left by a crash is safe.

The server name hashes the user and the workspace's real path: two users or two workspaces
on one machine never meet. ``commander display`` does not take part (it only reads).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

LOCK_FILENAME = "commander.lock"
ACTIVATE = "activate"
REPLY_OK = b"ok\n"


def server_name(data_dir: Path) -> str:
    """The socket name for this user and workspace (short: Unix socket paths are limited)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    key = f"{user}\0{Path(data_dir).resolve()}".encode()
    return "commander-" + hashlib.sha256(key).hexdigest()[:20]


class InstanceGuard(QObject):
    """Claims the workspace for this process, or hands the start over to the process that has.

    Use: ``if not guard.claim(): guard.hand_off(argv) ...; else guard.listen()``; connect
    ``sig_activate`` to bring the window forward.
    """

    sig_activate = Signal(list)  # argv of the start that was handed over

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.name = server_name(self.data_dir)
        self._lock: QLockFile | None = None
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._on_connection)

    def claim(self) -> bool:
        """True if this process is now the workspace's only window (a stale lock is taken)."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True  # opening the workspace will explain
        lock = QLockFile(str(self.data_dir / LOCK_FILENAME))
        lock.setStaleLockTime(0)  # stale only if its process is gone, never by age
        if lock.tryLock(0):
            self._lock = lock
            return True
        # Held by a live process: hand over. Any other failure (a read-only folder ...) is not
        # another window; go on, and let opening the workspace say what is wrong.
        return lock.error() != QLockFile.LockError.LockFailedError

    def listen(self) -> bool:
        """Accept hand-overs once ``claim`` took the lock; a socket file left by a crash is
        removed (safe: only the lock holder ever listens)."""
        if self._lock is None:
            return False
        QLocalServer.removeServer(self.name)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        return self.server.listen(self.name)

    def hand_off(self, argv: list[str], timeout_ms: int = 5000) -> bool:
        """Ask the running window to come forward; True once it acknowledged.

        Retries while the first process is still starting (it holds the lock before it
        listens).
        """
        deadline = QDeadlineTimer(timeout_ms)
        message = json.dumps({"command": ACTIVATE, "argv": argv}).encode() + b"\n"
        while not deadline.hasExpired():
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(500):
                socket.write(message)
                socket.waitForBytesWritten(1000)
                reply = b""
                while REPLY_OK not in reply and socket.waitForReadyRead(
                    max(1, deadline.remainingTime())
                ):
                    reply += bytes(socket.readAll().data())
                socket.disconnectFromServer()
                if REPLY_OK in reply:
                    return True
            QThread.msleep(100)
        return False

    def release(self) -> None:
        self.server.close()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        try:
            message = json.loads(bytes(socket.readLine().data()))
        except ValueError:
            socket.disconnectFromServer()
            return
        if isinstance(message, dict) and message.get("command") == ACTIVATE:
            socket.write(REPLY_OK)
            socket.flush()
            argv = message.get("argv")
            self.sig_activate.emit([str(a) for a in argv] if isinstance(argv, list) else [])


def bring_to_front(window: QWidget) -> None:
    """Un-minimize, raise and focus ``window`` (the window manager may only flash it)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
