"""Desktop notifications for deadlines: a tray message where there is a tray, always the window.

On a desktop with a system tray the message pops up even when Commander is behind other
windows; without one (some Linux sessions, offscreen tests) the status bar says it and the
taskbar entry asks for attention. A sound is optional (off by default: war rooms are loud).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

TRAY_MESSAGE_MS = 10_000


class Notifier(QObject):
    """Raises attention for ``notify(title, text)``; keeps the recent ones (``sent``)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.sound = False
        self.sent: list[tuple[str, str]] = []  # what was raised, newest last
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(window.windowIcon(), self)
            self._tray.setToolTip("Commander")
            self._tray.show()

    def notify(self, title: str, text: str) -> None:
        self.sent.append((title, text))
        del self.sent[:-50]
        if self._tray is not None:
            self._tray.showMessage(
                title, text, QSystemTrayIcon.MessageIcon.Warning, TRAY_MESSAGE_MS
            )
        self._window.statusBar().showMessage(f"{title} — {text}", TRAY_MESSAGE_MS)
        QApplication.alert(self._window)
        if self.sound:
            QApplication.beep()
