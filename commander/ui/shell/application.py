"""The Qt application itself: names, style, palette, the event loop and a fatal-error box."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from commander.ui.common.themes import ACCENT, DEFAULT_THEME, apply_theme
from commander.ui.shell.platform_check import PlatformUnavailable, check_platform

__all__ = ["ACCENT", "Settings", "prepare_application", "qt_application", "show_fatal"]

SMOKE_TIMEOUT_MS = 15_000
Settings = QSettings  # UI preferences (window geometry, alert sound), for the composition root


def prepare_application(app: QApplication) -> None:
    """Names (for QSettings), the Fusion style and the light theme (the window then applies
    the user's theme from its settings)."""
    app.setOrganizationName("Commander")
    app.setApplicationName("Commander")
    apply_theme(app, DEFAULT_THEME)


def qt_application() -> QApplication:
    """The process's QApplication, made and prepared if there is none yet.

    Raises:
        PlatformUnavailable: Qt's platform plugin would abort the process (a library it needs
            is missing, or there is no display); the message says which, in one sentence.
    """
    app = QApplication.instance()
    if app is None:
        problem = check_platform()
        if problem is not None:
            raise PlatformUnavailable(problem.message)
        app = QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    return app


def show_fatal(message: str) -> None:
    """Why the window cannot open, in a box (never a traceback)."""
    QMessageBox.critical(None, "Commander", message)


def quit_when_running(app: QApplication, window: QWidget | None = None) -> None:
    """The smoke test: quit once the event loop runs and ``window`` is on screen and painted.

    Prints one line saying so (platform and size); exits 1 if the window is not shown
    within ``SMOKE_TIMEOUT_MS``.
    """
    from PySide6.QtCore import QElapsedTimer, QTimer

    if window is None:
        QTimer.singleShot(0, app.quit)
        return
    elapsed = QElapsedTimer()
    elapsed.start()

    def check() -> None:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            window.repaint()  # paint now, synchronously: a broken paint path fails here
            size = window.size()
            print(
                f"Commander smoke test: window {size.width()}×{size.height()} shown and "
                f"painted on the {app.platformName()} platform.",
                flush=True,
            )
            app.quit()
        elif elapsed.elapsed() > SMOKE_TIMEOUT_MS:
            print("Commander smoke test: the window was not shown in time.", flush=True)
            app.exit(1)
        else:
            QTimer.singleShot(20, check)

    QTimer.singleShot(0, check)
