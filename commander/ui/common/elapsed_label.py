"""A label showing how long ago something started, recomputed every second.

It is computed as ``now - start`` on every tick, never counted down, so it agrees across
restarts, laptops and a suspended machine waking up.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from commander.core.clock import Clock


def format_elapsed(seconds: float) -> str:
    """``2d 03:04:05`` / ``03:04:05``: compact and monotonic to read."""
    total = max(0, int(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{days}d {text}" if days else text


class ElapsedLabel(QLabel):
    """Shows ``prefix + (clock.now() - start)``, refreshed once a second."""

    def __init__(self, clock: Clock, prefix: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._prefix = prefix
        self._start: datetime | None = None
        self._end: datetime | None = None
        self._timer = QTimer(self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Time since declared")
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)

    def set_start(self, start: datetime | None, end: datetime | None = None) -> None:
        """Count from ``start``; with ``end`` (resolved) the label stands still at end - start."""
        self._start = start
        self._end = end
        if start is None or end is not None:
            self._timer.stop()
        elif not self._timer.isActive():
            self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._start is None:
            self.setText("")
            return
        elapsed = ((self._end or self._clock.now()) - self._start).total_seconds()
        self.setText(f"{self._prefix}{format_elapsed(elapsed)}")
