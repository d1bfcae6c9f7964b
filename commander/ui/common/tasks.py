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
    """Lives on the GUI thread; its signal crosses back from the workers.

    One relay per runner, for its whole life: a relay per task, deleted once its result had
    arrived, was freed on the GUI thread while the worker could still be dropping its last
    reference to it, and about one short-lived dialog in ten crashed in ``~QObject``.

    Signals:
        sig_finished(int, bool, object): task id, whether it succeeded, result or exception.
    """

    sig_finished = Signal(int, bool, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._id = task_id
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to on_error on the GUI thread
            self._relay.sig_finished.emit(self._id, False, exc)
        else:
            self._relay.sig_finished.emit(self._id, True, result)


Handlers = tuple[Callable[[Any], None], Callable[[Exception], None] | None]


class TaskRunner(QObject):
    """A small pool of worker threads whose results arrive on the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._relay = _Relay(self)
        self._relay.sig_finished.connect(self._on_finished)
        self._handlers: dict[int, Handlers] = {}
        self._next_id = 0

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._next_id += 1
        self._handlers[self._next_id] = (on_done, on_error)
        self._pool.start(_Task(self._next_id, work, self._relay))

    def _on_finished(self, task_id: int, ok: bool, value: Any) -> None:
        on_done, on_error = self._handlers.pop(task_id)
        if ok:
            on_done(value)
        elif on_error is not None:
            on_error(value)

    def pending(self) -> int:
        return len(self._handlers)

    def wait(self, msecs: int = 5000) -> bool:
        """Block until running work ends (closing the window, tests)."""
        return self._pool.waitForDone(msecs)
