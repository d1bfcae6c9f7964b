"""On start: a damaged workspace file is found, reported and repaired.

``PRAGMA quick_check`` reads the whole file (seconds at a million entries), so it no longer
holds the window back: ``StartupCheck`` starts it on a worker thread once the window has
painted, and ``run_gui`` answers damage the way it always did, with ``DamagedWorkspaceDialog``
(recover, restore a backup, or quit) in place of the window. A file too damaged to open at all
is checked at once, and offered for repair before any window (``damage_at_open``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from commander.core.clock import SystemClock
from commander.services.recovery import start_check

POLL_MS = 50


class StartupCheck(QObject):
    """The workspace file's ``quick_check``, begun after ``window``'s first paint, once
    ``idle()`` says the window's own start-up reads are done (the check reads the whole
    file, and would compete with the timeline's load for the disk and the second core).

    Signals:
        sig_done(list): the problems found; empty when the file is sound.

    Attributes:
        problems: the result once done, else None.
    """

    sig_done = Signal(list)

    def __init__(
        self, window: QWidget, data_dir: Path, idle: Callable[[], bool] = lambda: True
    ) -> None:
        super().__init__(window)
        self._window = window
        self._data_dir = Path(data_dir)
        self._idle = idle
        self._painted = False
        self._future: Future[list[str]] | None = None
        self.problems: list[str] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        window.installEventFilter(self)

    @property
    def started(self) -> bool:
        return self._future is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # UpdateRequest is the top-level window's paint; the check starts on the next turn.
        if watched is self._window and event.type() == QEvent.Type.UpdateRequest:
            self._window.removeEventFilter(self)
            self._painted = True
            self._timer.start()  # polls until idle, then until the check is done
        return False

    def start(self) -> None:
        """Start now (once), whether or not the window has painted or is idle."""
        if self._future is None:
            self._future = start_check(self._data_dir)
            self._timer.start()

    def _poll(self) -> None:
        if self._future is None:
            if self._painted and self._idle():
                self.start()
            return
        future = self._future
        if not future.done():
            return
        self._timer.stop()
        error = future.exception()
        self.problems = [str(error)] if error is not None else future.result()
        self.sig_done.emit(self.problems)


def damage_at_open(data_dir: Path, *, author: str) -> bool | None:
    """After the workspace failed to open: True once its damage is repaired, False when the
    user quit instead, None when ``quick_check`` finds the file sound (another failure)."""
    problems = start_check(data_dir).result()
    if not problems:
        return None
    return repair_damage(data_dir, problems, author=author)


def repair_damage(data_dir: Path, problems: list[str], *, author: str) -> bool:
    """Show the damage dialog; True once the workspace was recovered or restored."""
    from commander.ui.shell.damaged_workspace import DamagedWorkspaceDialog

    dialog = DamagedWorkspaceDialog(data_dir, problems, author=author, clock=SystemClock())
    return bool(dialog.exec())
