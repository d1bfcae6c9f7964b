"""Run slow work off the GUI thread and hand the result back on it.

Work callables never touch widgets; they return a value, and ``on_done`` runs on the GUI
thread through a queued signal. Used for reads that can take longer than a frame (the rest of a
100k-entry timeline) and, later, for network work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread; its signals cross back from the worker."""

    sig_done = Signal(object)
    sig_failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to on_error on the GUI thread
            self._relay.sig_failed.emit(exc)
        else:
            self._relay.sig_done.emit(result)


class TaskRunner(QObject):
    """A small pool of worker threads whose results arrive on the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relays: set[_Relay] = set()

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        relay = _Relay(self)
        self._relays.add(relay)

        def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if handler is not None:
                handler(value)

        relay.sig_done.connect(lambda result: finish(on_done, result))
        relay.sig_failed.connect(lambda exc: finish(on_error, exc))
        self._pool.start(_Task(work, relay))

    def pending(self) -> int:
        return len(self._relays)

    def wait(self, msecs: int = 5000) -> bool:
        """Block until running work ends (closing the window, tests)."""
        return self._pool.waitForDone(msecs)
