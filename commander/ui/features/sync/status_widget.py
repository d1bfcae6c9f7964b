"""The status-bar piece: Online / Offline / Syncing, changes waiting, a loud stuck warning."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from commander.sync.status import OFFLINE, ONLINE, SyncStatus
from commander.ui.common.themes import set_role

_COLOURS = {ONLINE: "#2e7d32", OFFLINE: "#8a8a8a"}
_STUCK = "#b00020"


class SyncStatusWidget(QLabel):
    """Shows a ``SyncStatus``; the tooltip has the last error and any warning.

    Signals:
        sig_problems_clicked(): clicked while it shows sync problems (open the view).
    """

    sig_problems_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sync status")
        self.setContentsMargins(6, 0, 6, 0)
        self._problems = 0
        self.set_disconnected()

    def set_disconnected(self) -> None:
        self.setText("Sync: not connected")
        set_role(self, "muted")
        self.setToolTip("Sync → Connect to shared database…")

    def set_status(self, status: SyncStatus) -> None:
        colour = _COLOURS.get(status.state, "#3a5b5b")
        parts = [f"<span style='color:{colour}'>●</span> {status.label}"]
        parts.append(f"{status.pending} waiting" if status.pending else "all sent")
        if status.state == OFFLINE and status.retry_in_s:
            parts.append(f"retry in {status.retry_in_s:.0f} s")
        if status.stuck:
            parts.append(f"<b style='color:{_STUCK}'>⚠ stuck</b>")
        elif status.warning:
            parts.append("⚠ clock")
        self._problems = status.problems
        if status.problems:
            parts.append(f"<b style='color:{_STUCK}'>⚠ {status.problems} sync problems</b>")
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if status.problems else Qt.CursorShape.ArrowCursor
        )
        self.setText(" · ".join(parts))
        set_role(self, "")
        problems = (
            f"{status.problems} pulled ops failed their checks: click for Sync problems"
            if status.problems
            else None
        )
        tips = [t for t in (status.stuck, status.last_error, status.warning, problems) if t]
        self.setToolTip("\n".join(tips) or "Changes sync with the shared database.")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._problems and event.button() == Qt.MouseButton.LeftButton:
            self.sig_problems_clicked.emit()
        super().mousePressEvent(event)
