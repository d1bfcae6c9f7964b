"""Parts of the main window that are built after its first paint, one per event-loop turn.

A cold start pays for what the user sees first: the incident list, header, timeline, deadlines
and the front tab. Features behind a tab or in a dock (the review, the alerts dock) are built
once the window has painted, each in its own turn of the event loop so none holds a keystroke
up for long; and at once, in order, by whoever needs one earlier (``ensure``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class DeferredStartup(QObject):
    """Builds named parts of ``window`` after its first paint (or soon, if it is never shown).

    Signals:
        sig_done: every part is built.

    Attributes:
        painted: the window has painted once (when shown).
    """

    sig_done = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._steps: list[tuple[str, Callable[[], None]]] = []
        self._built: set[str] = set()
        self._started = False
        self._building: str | None = None
        self.painted = False
        window.installEventFilter(self)

    def add(self, name: str, build: Callable[[], None]) -> None:
        """Build ``name`` later with ``build``; parts are built in the order they were added."""
        self._steps.append((name, build))

    def start(self) -> None:
        """Begin once the window has painted; a window not shown by the next turn starts then."""
        QTimer.singleShot(0, self._start_if_hidden)

    def _start_if_hidden(self) -> None:
        if not self._window.isVisible():
            self._begin()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # UpdateRequest is the top-level window's paint; the step runs in a later turn.
        if watched is self._window and event.type() == QEvent.Type.UpdateRequest:
            self.painted = True
            self._window.removeEventFilter(self)
            self._begin()
        return False

    def _begin(self) -> None:
        if not self._started:
            self._started = True
            QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        if self._steps:
            self._build_one()
        if self._steps:
            QTimer.singleShot(0, self._next)

    def _build_one(self) -> None:
        name, build = self._steps.pop(0)
        self._building = name
        try:
            build()
        finally:
            self._building = None
        self._built.add(name)
        if not self._steps:
            self.sig_done.emit()

    def is_built(self, name: str) -> bool:
        return name in self._built

    @property
    def done(self) -> bool:
        return not self._steps

    def ensure(self, name: str) -> None:
        """Build ``name`` now, and every part added before it (menus keep their order)."""
        while name not in self._built and name != self._building and self._steps:
            self._build_one()

    def finish(self) -> None:
        """Build every part still pending (a command palette lists every action)."""
        while self._steps:
            self._build_one()
