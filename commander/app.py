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
from commander.ui.features.exercise.exercise_ui import install_exercise
from commander.ui.shell.application import (
    Settings,
    prepare_application,
    qt_application,
    quit_when_running,
    show_fatal,
)
from commander.ui.shell.main_window import MainWindow

__all__ = ["build_main_window", "prepare_application", "run_gui"]


def build_main_window(workspace: Workspace, settings: Settings | None = None) -> MainWindow:
    """The main window over ``workspace``; used by ``run_gui``, tests and benchmarks. An
    exercise workspace's window is marked and replays the injects
    (``ui/features/exercise/exercise_ui.py``)."""
    window = MainWindow(workspace, IncidentService(workspace), settings)
    window.exercise_ui = install_exercise(window, workspace)
    return window


def run_gui(
    data_dir: Path,
    author: str,
    *,
    smoke_test: bool = False,
) -> int:
    """Run the desktop app on the workspace in ``data_dir``; returns the exit code.

    One window per workspace: if another Commander has it open, that window comes forward
    and this start exits 0. The workspace file's ``quick_check`` runs on a worker once the
    window has painted; damage found then closes the window and offers recovery (a file too
    damaged to open is offered it at once); rolling backups are taken while the window is
    open. ``smoke_test`` opens the window and quits once it is shown and painted (a check
    that an installed bundle starts).
    """
    import sys

    from commander.ui.shell.app_icon import app_icon
    from commander.ui.shell.single_instance import InstanceGuard, bring_to_front

    data_dir = Path(data_dir)
    app = qt_application()
    app.setWindowIcon(app_icon())
    guard = InstanceGuard(data_dir)
    if not guard.claim():
        if guard.hand_off(sys.argv[1:]):
            print(
                f"Commander is already open on {data_dir}; brought its window to the front.",
                file=sys.stderr,
            )
            return 0
        show_fatal(f"Commander is already open on {data_dir} but does not answer; close it.")
        return 1
    guard.listen()
    from commander.ui.shell.workspace_session import WorkspaceSession

    session = WorkspaceSession(app, data_dir, author, build_main_window)
    try:
        if not session.open():
            return 1
        guard.sig_activate.connect(lambda _argv: bring_to_front(session.window))
        if smoke_test:
            quit_when_running(app, session.window)
        else:
            from commander.ui.shell.welcome import needs_welcome, show_welcome

            window = session.window
            if needs_welcome(data_dir, has_incidents=window.incident_model.rowCount() > 0):
                show_welcome(window, session.workspace)  # parented to the window: it lives as long
        return app.exec()
    finally:
        session.close(window=False)
        guard.release()


def run_display(
    data_dir: Path,
    author: str,
    *,
    incident: str | None = None,
    server: str | None = None,
    peer: tuple[str, int] | None = None,
    password: str | None = None,
    screen: int | None = None,
    rotate_s: float = 20.0,
    chart_hours: float = 6.0,
    grid: bool = False,
    fullscreen: bool = True,
) -> int:
    """Run the war-room display alone; with ``server``, over a pull-only replica in
    ``data_dir/display`` (the user's own workspace and its unpushed changes stay untouched);
    with ``peer`` (host, port), over the same replica, receiving from that peer laptop.
    """
    from commander.sync.url import ServerUrl
    from commander.ui.features.display.launch import build_display, follow_server, place_on_screen

    app = qt_application()
    url = ServerUrl.parse(server) if server else None
    folder = Path(data_dir) / "display" if url or peer else Path(data_dir)
    try:
        workspace = Workspace.open(folder, author=author, zone=resolve_display_zone(Path(data_dir)))
    except WorkspaceError as err:
        show_fatal(str(err))
        return 1
    try:
        window = build_display(
            workspace, incident=incident, rotate_s=rotate_s, chart_hours=chart_hours, grid=grid
        )
        if url is not None:
            follow_server(window, workspace, url, password)
        elif peer is not None:
            from commander.ui.features.display.follow_peer import follow_peer

            follow_peer(window, workspace, *peer)
        place_on_screen(window, screen, fullscreen=fullscreen)
        return app.exec()
    finally:
        workspace.close()
