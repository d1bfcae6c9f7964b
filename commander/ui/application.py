"""The Qt application itself: names, style, palette, the event loop and a fatal-error box."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

ACCENT = "#3a5b5b"
Settings = QSettings  # UI preferences (window geometry, alert sound), for the composition root


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


def prepare_application(app: QApplication) -> None:
    """Names (for QSettings), the Fusion style and our palette."""
    app.setOrganizationName("Commander")
    app.setApplicationName("Commander")
    app.setStyle("Fusion")
    app.setPalette(build_palette(app.style().standardPalette()))


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
