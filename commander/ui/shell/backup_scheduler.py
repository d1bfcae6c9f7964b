"""Rolling backups while the window is open, taken on a worker thread.

Every few minutes the scheduler asks ``backups.backup_if_due`` (hourly while an incident is
active, daily otherwise) on its own thread (``PolledWork``), so a backup of a large workspace never
blocks the GUI thread. A damaged workspace is reported once (no backup is then taken).

Signals:
    sig_backup_taken(object): a ``Backup`` was written.
    sig_problem(str): a backup could not be taken; one sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from commander.services import backups
from commander.services.workspace import Workspace
from commander.ui.common.polled_work import PolledWork

CHECK_INTERVAL_MS = 5 * 60 * 1000
FIRST_CHECK_MS = 60 * 1000  # after start-up, when the window is idle


class BackupScheduler(QObject):
    """Takes the workspace's rolling backups while the app runs."""

    sig_backup_taken = Signal(object)
    sig_problem = Signal(str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._work = PolledWork(self, name="commander-backup")
        self._last_problem = ""
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check_now)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.check_now)

    def stop(self) -> None:
        """Stop the timer and wait for a backup in progress (closing the window)."""
        self._timer.stop()
        self._work.wait(30.0)

    def check_now(self) -> None:
        if self._work.busy():
            return  # the previous one is still running
        workspace = self._workspace
        self._work.submit(lambda: backups.backup_if_due(workspace), self._on_done, self._on_failed)

    def _on_done(self, taken: backups.Backup | None) -> None:
        if taken is not None:
            self._last_problem = ""
            self.sig_backup_taken.emit(taken)

    def _on_failed(self, exc: Exception) -> None:
        message = str(exc) or type(exc).__name__
        if message != self._last_problem:  # once, not every five minutes
            self._last_problem = message
            self.sig_problem.emit(message)
