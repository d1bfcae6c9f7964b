"""Composition root: builds the application, the workspace, the services and the window.

No logic lives here. Start-up stays lean on purpose (no matplotlib, nothing imported that the
first window does not need) so the window is up well under a second on a large workspace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from commander.config import local_zone
from commander.core.errors import WorkspaceError
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.main_window import MainWindow

ACCENT = "#3a5b5b"


def build_palette(base: QPalette) -> QPalette:
    """Fusion's light palette with our accent for selection and links."""
    palette = QPalette(base)
    accent = QColor(ACCENT)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Highlight, accent)
        palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        palette.setColor(group, QPalette.ColorRole.Link, accent)
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f2f5f5"))
    return palette


def build_main_window(workspace: Workspace, settings: QSettings | None = None) -> MainWindow:
    """The main window over ``workspace``; used by ``run_gui``, tests and benchmarks."""
    return MainWindow(workspace, IncidentService(workspace), settings)


def prepare_application(app: QApplication) -> None:
    """Names (for QSettings), the Fusion style and our palette."""
    app.setOrganizationName("Commander")
    app.setApplicationName("Commander")
    app.setStyle("Fusion")
    app.setPalette(build_palette(app.style().standardPalette()))


def run_gui(data_dir: Path, author: str) -> int:
    """Run the desktop app on the workspace in ``data_dir``; returns the exit code."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    try:
        workspace = Workspace.open(Path(data_dir), author=author, zone=local_zone())
    except WorkspaceError as err:
        QMessageBox.critical(None, "Commander", str(err))
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
    fullscreen: bool = True,
) -> int:
    """Run the war-room display alone; with ``server``, over a pull-only replica in
    ``data_dir/display`` (the user's own workspace and its unpushed changes stay untouched).
    """
    from commander.sync.url import ServerUrl
    from commander.ui.display.launch import build_display, follow_server, place_on_screen

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    url = ServerUrl.parse(server) if server else None
    folder = Path(data_dir) / "display" if url else Path(data_dir)
    try:
        workspace = Workspace.open(folder, author=author, zone=local_zone())
    except WorkspaceError as err:
        QMessageBox.critical(None, "Commander", str(err))
        return 1
    try:
        window = build_display(workspace, incident=incident, rotate_s=rotate_s)
        if url is not None:
            follow_server(window, workspace, url, password)
        place_on_screen(window, screen, fullscreen=fullscreen)
        return app.exec()
    finally:
        workspace.close()
