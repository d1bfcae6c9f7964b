"""Opening the display: on which screen, over which workspace, following what.

Used by ``commander display`` (through ``commander.app.run_display``) and by the main
window's *View → War-room display*.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from commander.core.errors import ValidationError
from commander.integrations.secrets import SecretStore
from commander.services.deadlines import DeadlineService, deadline_service_for
from commander.services.workspace import Workspace
from commander.sync.url import ServerUrl
from commander.ui.features.display.chart import DEFAULT_HOURS
from commander.ui.features.display.feed import DisplayFeed
from commander.ui.features.display.window import ROTATE_S, DisplayWindow
from commander.ui.features.sync.controller import SyncController

SERVER_POLL_S = 5.0  # the display pulls at least this often, and so knows it is current
SERVER_STALE_S = 3 * SERVER_POLL_S + 5.0


def deadline_service(workspace: Workspace) -> DeadlineService:
    """The workspace's deadline settings, as the main window reads them."""
    return deadline_service_for(workspace)


def build_display(
    workspace: Workspace,
    *,
    incident: str | None = None,
    rotate_s: float = ROTATE_S,
    chart_hours: float = DEFAULT_HOURS,
    grid: bool = False,
    deadlines: DeadlineService | None = None,
    source: str = "local workspace",
    parent: QWidget | None = None,
) -> DisplayWindow:
    feed = DisplayFeed(workspace, deadlines or deadline_service(workspace), pinned=incident)
    return DisplayWindow(
        feed, rotate_s=rotate_s, chart_hours=chart_hours, grid=grid, source=source, parent=parent
    )


def follow_server(
    window: DisplayWindow, workspace: Workspace, server: ServerUrl, password: str | None
) -> SyncController:
    """Pull from the shared database into ``workspace`` (the display's replica); never push."""
    controller = SyncController(
        workspace,
        SecretStore(data_dir=workspace.data_dir),
        window,
        poll_s=SERVER_POLL_S,
        pull_only=True,
    )
    window.source = server.redacted
    window.stale_after_s = SERVER_STALE_S
    window.cycle_count = controller.cycles
    controller.sig_status.connect(window.set_sync_status)
    controller.sig_pulled.connect(lambda _result: window.poll())
    window.destroyed.connect(controller.stop)
    controller.start(server, password)
    return controller


def place_on_screen(window: QWidget, index: int | None, *, fullscreen: bool = True) -> None:
    """Show ``window`` on screen ``index`` (default: the primary), full screen unless told."""
    screens = QGuiApplication.screens()
    if index is None:
        screen = QGuiApplication.primaryScreen()
    elif 0 <= index < len(screens):
        screen = screens[index]
    else:
        raise ValidationError(
            f"There is no screen {index}; this computer has {len(screens)} (0–{len(screens) - 1})."
        )
    window.setScreen(screen)
    window.setGeometry(screen.availableGeometry())
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()


def other_screen() -> int | None:
    """A screen that is not the primary one, if there is one (the wall beside the laptop)."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    return next((n for n, s in enumerate(screens) if s is not primary), None)


def open_beside(workspace: Workspace, deadlines: DeadlineService, owner: QWidget) -> DisplayWindow:
    """From the main window: full screen on another screen if there is one, else a window.

    The display is a separate top-level window owned by ``owner`` (it closes with it); asking
    again brings the open one forward instead of opening a second.
    """
    existing = owner.findChild(DisplayWindow)
    if existing is not None:
        existing.show()
        existing.activateWindow()
        return existing
    window = build_display(workspace, deadlines=deadlines, parent=owner)
    window.setWindowFlag(Qt.WindowType.Window)
    screen = other_screen()
    if screen is not None:
        place_on_screen(window, screen, fullscreen=True)
    else:
        window.resize(1366, 768)
        window.show()
    return window
