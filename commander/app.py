"""Composition root: builds the application, the workspace, the services and the window.

No logic lives here, and no Qt either (that is ``commander.ui``). Start-up stays lean on
purpose (no matplotlib, psycopg or httpx until needed) so the window is up well under a second
on a large workspace.
"""

from __future__ import annotations

from pathlib import Path

from commander.config import resolve_display_zone
from commander.core.errors import WorkspaceError
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.application import (
    Settings,
    prepare_application,
    qt_application,
    show_fatal,
)
from commander.ui.main_window import MainWindow

__all__ = ["build_main_window", "prepare_application", "run_gui"]


def build_main_window(workspace: Workspace, settings: Settings | None = None) -> MainWindow:
    """The main window over ``workspace``; used by ``run_gui``, tests and benchmarks."""
    return MainWindow(workspace, IncidentService(workspace), settings)


def run_gui(data_dir: Path, author: str) -> int:
    """Run the desktop app on the workspace in ``data_dir``; returns the exit code."""
    app = qt_application()
    try:
        workspace = Workspace.open(
            Path(data_dir), author=author, zone=resolve_display_zone(Path(data_dir))
        )
    except WorkspaceError as err:
        show_fatal(str(err))
        return 1
    window = build_main_window(workspace)
    window.show()
    try:
        return app.exec()
    finally:
        workspace.close()


def run_display(
    data_dir: Path,
    author: str,
    *,
    incident: str | None = None,
    server: str | None = None,
    password: str | None = None,
    screen: int | None = None,
    rotate_s: float = 20.0,
    grid: bool = False,
    fullscreen: bool = True,
) -> int:
    """Run the war-room display alone; with ``server``, over a pull-only replica in
    ``data_dir/display`` (the user's own workspace and its unpushed changes stay untouched).
    """
    from commander.sync.url import ServerUrl
    from commander.ui.display.launch import build_display, follow_server, place_on_screen

    app = qt_application()
    url = ServerUrl.parse(server) if server else None
    folder = Path(data_dir) / "display" if url else Path(data_dir)
    try:
        workspace = Workspace.open(folder, author=author, zone=resolve_display_zone(Path(data_dir)))
    except WorkspaceError as err:
        show_fatal(str(err))
        return 1
    try:
        window = build_display(workspace, incident=incident, rotate_s=rotate_s, grid=grid)
        if url is not None:
            follow_server(window, workspace, url, password)
        place_on_screen(window, screen, fullscreen=fullscreen)
        return app.exec()
    finally:
        workspace.close()
