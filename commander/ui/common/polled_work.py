"""One piece of long work on a plain Python thread, its result picked up by a GUI-thread timer.

For work whose owner may close the moment the result arrives (the damage dialog) or that runs
rarely (backups): no Qt object crosses threads, so nothing can be deleted under a worker.
Short, frequent work goes through ``ui/common/tasks.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from typing import Any

from PySide6.QtCore import QObject, QTimer

POLL_MS = 50


class PolledWork(QObject):
    """Runs one callable at a time off the GUI thread; handlers run on the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, name: str = "commander-work") -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._future: Future[Any] | None = None
        self._handlers: tuple[Callable[[Any], None], Callable[[Exception], None] | None] | None
        self._handlers = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def busy(self) -> bool:
        return self._future is not None

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        if self._future is not None:
            raise RuntimeError("one piece of work at a time")
        self._handlers = (on_done, on_error)
        self._future = self._executor.submit(work)
        self._timer.start()

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Block until the running work ends (closing, tests); its handler runs on the next
        poll."""
        future = self._future
        if future is None:
            return True
        done, _ = wait_futures([future], timeout=timeout_s)
        return bool(done)

    def _poll(self) -> None:
        future, handlers = self._future, self._handlers
        if future is None or handlers is None or not future.done():
            return
        self._timer.stop()
        self._future, self._handlers = None, None
        on_done, on_error = handlers
        error = future.exception()
        if error is None:
            on_done(future.result())
        elif on_error is not None and isinstance(error, Exception):
            on_error(error)
