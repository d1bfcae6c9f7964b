"""The open workspace, its main window and its backups, as ``run_gui`` holds them.

The window opens before the workspace file's ``quick_check`` has run (it reads the whole file:
seconds at a million entries). The check starts on a worker once the window has painted and
its own start-up reads are done; damage found then closes the window and workspace and shows
``DamagedWorkspaceDialog``, as a start over a damaged file always did; once it is repaired the
window opens again, and if the user quits instead, Commander exits 1. A file too damaged to
open at all is checked at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy.exc import DatabaseError

from commander.config import resolve_display_zone
from commander.core.errors import WorkspaceError
from commander.services.workspace import Workspace
from commander.ui.shell.application import show_fatal
from commander.ui.shell.backup_scheduler import BackupScheduler
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.workspace_health import StartupCheck, damage_at_open, repair_damage


class WorkspaceSession:
    """Opens, shows and closes the workspace and its window; reopens them after a repair.

    Attributes:
        check: the running or finished ``StartupCheck`` of the open window.
    """

    def __init__(
        self,
        app: QApplication,
        data_dir: Path,
        author: str,
        build: Callable[[Workspace], MainWindow],
    ) -> None:
        self._app = app
        self._data_dir = Path(data_dir)
        self._author = author
        self._build = build
        self._workspace: Workspace | None = None
        self._window: MainWindow | None = None
        self._scheduler: BackupScheduler | None = None
        self.check: StartupCheck | None = None

    @property
    def window(self) -> MainWindow:
        assert self._window is not None, "open() first"
        return self._window

    @property
    def workspace(self) -> Workspace:
        assert self._workspace is not None, "open() first"
        return self._workspace

    def open(self) -> bool:
        """Open the workspace and show its window; False when it cannot be (and it said why,
        or the user chose to quit rather than repair)."""
        opened = self._open_both()
        if opened is None:
            return False
        workspace, window = opened
        self._workspace, self._window = workspace, window
        scheduler = BackupScheduler(workspace, window)
        scheduler.sig_problem.connect(lambda text: window.statusBar().showMessage(text, 30_000))
        scheduler.start()
        self._scheduler = scheduler
        # After the first paint, once the window's own start-up reads (the timeline) are done.
        self.check = StartupCheck(
            window, self._data_dir, idle=lambda: window.startup.done and not window.tasks.pending()
        )
        self.check.sig_done.connect(self._checked)
        window.show()
        return True

    def _open_both(self) -> tuple[Workspace, MainWindow] | None:
        while True:
            workspace: Workspace | None = None
            try:
                workspace = Workspace.open(
                    self._data_dir, author=self._author, zone=resolve_display_zone(self._data_dir)
                )
                return workspace, self._build(workspace)
            except (WorkspaceError, sqlite3.DatabaseError, DatabaseError) as err:
                if workspace is not None:
                    workspace.close()
                repaired = damage_at_open(self._data_dir, author=self._author)
                if repaired:
                    continue
                if repaired is None and not isinstance(err, WorkspaceError):
                    raise  # the file is sound: not damage, a failure main() reports
                if repaired is None:
                    show_fatal(str(err))
                return None

    def _checked(self, problems: list[str]) -> None:
        if not problems:
            return
        quit_on_close = self._app.quitOnLastWindowClosed()
        self._app.setQuitOnLastWindowClosed(False)  # the dialog comes after the window closed
        try:
            self.close()
            repaired = repair_damage(self._data_dir, problems, author=self._author)
            if not (repaired and self.open()):
                self._app.exit(1)
        finally:
            self._app.setQuitOnLastWindowClosed(quit_on_close)

    def close(self, *, window: bool = True) -> None:
        """Stop the backups, close the window (unless the app is ending: its loop has
        stopped and the window goes with the process) and the workspace (idempotent)."""
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None
        if self._window is not None and window:
            self._window.close()
            self._window.deleteLater()
            self._window = None
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None
