"""The Qt application itself: names, style, palette, the event loop and a fatal-error box."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from commander.ui.themes import ACCENT, DEFAULT_THEME, apply_theme

__all__ = ["ACCENT", "Settings", "prepare_application", "qt_application", "show_fatal"]

Settings = QSettings  # UI preferences (window geometry, alert sound), for the composition root


def prepare_application(app: QApplication) -> None:
    """Names (for QSettings), the Fusion style and the light theme (the window then applies
    the user's theme from its settings)."""
    app.setOrganizationName("Commander")
    app.setApplicationName("Commander")
    apply_theme(app, DEFAULT_THEME)


def qt_application() -> QApplication:
    """The process's QApplication, made and prepared if there is none yet."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    return app


def show_fatal(message: str) -> None:
    """Why the window cannot open, in a box (never a traceback)."""
    QMessageBox.critical(None, "Commander", message)


def quit_when_running(app: QApplication) -> None:
    """Quit as soon as the event loop has started (the bundle's smoke test)."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, app.quit)
