"""The live sync loop: push as soon as an op is written, pull when the server rings.

Runs on a worker thread (the GUI wraps it in a QThread); everything it reports goes through
callbacks. Two server connections: one LISTENs on ``commander_ops`` (a doorbell: a ring
means "look", its payload is never read), one pushes and pulls. It pulls on
every (re)connect and on a slow timer, because a NOTIFY sent while disconnected is lost.

Offline is a state: a failed connection or query closes both connections, reports Offline
with the reason and retries after 1 s, 2 s, 4 s … 30 s; ``wake()`` (a local write) cuts the
wait short. A watchdog shuts the socket of a query that outlives ``query_timeout_s``, so a
hung server (no answer, not even an error) cannot hold the worker forever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import psycopg

from commander.sync.engine import PullResult, SyncEngine, skew_warning
from commander.sync.errors import ExerciseRefused, PushRefused, SyncError
from commander.sync.schema import CHANNEL
from commander.sync.server import connect, translate
from commander.sync.status import CONNECTING, OFFLINE, ONLINE, SYNCING, SyncStatus
from commander.sync.url import ServerUrl

log = logging.getLogger(__name__)

BACKOFF_START_S = 1.0
BACKOFF_MAX_S = 30.0


class LiveSync:
    """Keeps one workspace in sync with the shared database until ``stop()``.

    Args:
        engine: push/pull for the workspace.
        server: the shared database.
        password: from keyring (or None: the URL, PGPASSWORD or trust).
        on_status: called (on the worker thread) whenever the status changes.
        on_pulled: called after a pull that changed the workspace.
        poll_s: the slow pull timer, for doorbells lost while disconnected.
        local_check_s: how often to look for local writes nobody ``wake()``-d for.
        stuck_after_s: changes older than this, waiting while the server answers: say so.
        pull_only: never push (the war-room display, connected with the read-only role).
    """

    def __init__(
        self,
        engine: SyncEngine,
        server: ServerUrl,
        password: str | None = None,
        *,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_pulled: Callable[[PullResult], None] | None = None,
        poll_s: float = 30.0,
        local_check_s: float = 0.5,
        stuck_after_s: float = 120.0,
        query_timeout_s: float = 15.0,
        connect_timeout_s: int = 5,
        pull_only: bool = False,
        hint_interval_s: float = 0.02,
    ) -> None:
        self.engine = engine
        self.server = server
        self._password = password
        self._on_status = on_status or (lambda status: None)
        self._on_pulled = on_pulled or (lambda result: None)
        self.poll_s = poll_s
        self.local_check_s = local_check_s
        self.stuck_after_s = stuck_after_s
        self.query_timeout_s = query_timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.pull_only = pull_only
        self.hint_interval_s = hint_interval_s
        self._refused: str | None = None
        self._relay_notes: tuple[str, ...] = ()  # held or refused relays, shown once each
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        self._status = SyncStatus()
        self._data: psycopg.Connection[Any] | None = None
        self._listen: psycopg.Connection[Any] | None = None
        self._busy: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.cycles = 0

    # -- called from any thread ------------------------------------------------------------

    def wake(self) -> None:
        """A local write happened: push now (also ends a backoff wait)."""
        if self._closed:  # the pipe is gone; its fd number may belong to a file now
            return
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"w")

    def stop(self) -> None:
        self._stop.set()
        self.wake()
        with self._lock:
            busy = self._busy
        if busy is not None:
            _shutdown(busy)

    @property
    def status(self) -> SyncStatus:
        return self._status

    # -- the loop, on the worker thread ------------------------------------------------------

    def run(self) -> None:
        backoff = BACKOFF_START_S
        try:
            while not self._stop.is_set():
                try:
                    self._connect()
                    backoff = BACKOFF_START_S
                    self._serve()
                except ExerciseRefused as exc:
                    self._report(
                        state=OFFLINE, last_error=str(exc), retry_in_s=None, stuck=str(exc)
                    )
                    break
                except SyncError as exc:
                    self._close()
                    if self._stop.is_set():
                        break
                    refused = isinstance(exc, PushRefused)
                    log.warning("sync: %s", exc)
                    self._report(
                        state=OFFLINE,
                        last_error=str(exc),
                        retry_in_s=backoff,
                        stuck=str(exc) if refused else None,
                    )
                    self._wait(backoff)
                    backoff = min(backoff * 2, BACKOFF_MAX_S)
        finally:
            self._close()
            self._report(state=OFFLINE, retry_in_s=None)
            self._closed = True
            os.close(self._wake_r)
            os.close(self._wake_w)

    def _connect(self) -> None:
        self.engine.check_allowed()  # an exercise never opens a connection
        self._report(state=CONNECTING, retry_in_s=None)
        self._data = connect(self.server, self._password, connect_timeout=self.connect_timeout_s)
        self._listen = connect(
            self.server, self._password, autocommit=True, connect_timeout=self.connect_timeout_s
        )
        with self._guard(self._listen):
            self._listen.execute(f"LISTEN {CHANNEL}")
        with self._guard(self._data):
            self.engine.prepare(self._data)

    def _serve(self) -> None:
        assert self._listen is not None
        self._cycle(push=True, pull=True)  # on every (re)connect: the doorbell may have rung
        last_poll = last_check = last_hint = time.monotonic()
        hinted = False  # rung while a hint-driven pull was too recent: pull when it is not
        pushed_head = self.engine.local_head()
        while not self._stop.is_set():
            now = time.monotonic()
            due = min(last_poll + self.poll_s, last_check + self.local_check_s)
            if hinted:
                due = min(due, last_hint + self.hint_interval_s)
            timeout = max(0.0, due - now)
            readable, _, _ = select.select([self._listen.fileno(), self._wake_r], [], [], timeout)
            if self._stop.is_set():
                return
            push = pull = False
            if self._wake_r in readable:
                _drain(self._wake_r)
                push = True
            if self._listen.fileno() in readable:
                with self._guard(self._listen):
                    rung = list(self._listen.notifies(timeout=0))
                    if not rung:  # readable but nothing: the connection went away?
                        self._listen.execute("SELECT 1")
                # Any login that can connect may NOTIFY (PostgreSQL has no privilege on the
                # command), so a ring is only a hint to look; its payload is never read, and
                # a flood of rings costs at most one pull per hint_interval_s.
                hinted = hinted or bool(rung)
            now = time.monotonic()
            if hinted and now - last_hint >= self.hint_interval_s:
                hinted, last_hint, pull = False, now, True
            if now - last_check >= self.local_check_s:
                last_check = now
                head = self.engine.local_head()
                push = push or head != pushed_head
            if now - last_poll >= self.poll_s:
                last_poll = now
                push = pull = True
            if push or pull:
                self._cycle(push=push, pull=pull)
                pushed_head = self.engine.local_head()
            else:
                self._report_pending()

    def _cycle(self, *, push: bool, pull: bool) -> None:
        assert self._data is not None
        self._report(state=SYNCING)
        with self._guard(self._data):
            if push and not self.pull_only:
                result = self.engine.push(self._data)
                # A refused push is reported and the pull still runs: everyone else's
                # changes keep arriving while this node's wait.
                self._refused = result.refused
                notes = (*result.relay.held, *result.relay.refused)
                for text in notes:
                    if text not in self._relay_notes:
                        self._report(warning=f"relay: {text}")
                self._relay_notes = notes
                if result.offset_ms is not None and abs(result.offset_ms) > 5_000:
                    text = skew_warning(self.engine.node_id, result.offset_ms)
                    log.warning("sync: %s", text)
                    self._report(warning=text)
            if pull:
                pulled = self.engine.pull(self._data)
                if pulled.adopted and not self.pull_only:
                    self.engine.push(self._data)  # our stamp ops, written while pulling
                for node, author in pulled.clamped_nodes.items():
                    text = (
                        f"node {node} ({author}) stamped ops ahead of the server's clock; "
                        "it re-stamped them at the server's time"
                    )
                    log.warning("sync: %s", text)
                    self._report(warning=text)
                if pulled.changed:
                    self._on_pulled(pulled)
                if pulled.applied:
                    self.engine.index_pulled()
        self.cycles += 1
        self._report(state=ONLINE, last_error=None)
        self._report_pending()

    def _report_pending(self) -> None:
        count, oldest_ms = self.engine.pending()
        stuck = self._refused
        if stuck is None and count and oldest_ms is not None:
            waited = time.time() - oldest_ms / 1000
            if waited > self.stuck_after_s:
                stuck = (
                    f"{count} local changes have waited {waited / 60:.0f} min although the "
                    "server answers"
                )
                if self._status.stuck != stuck:
                    log.error("sync: %s", stuck)
        self._report(pending=count, stuck=stuck, problems=self.engine.problem_count())

    def _report(self, **changes: Any) -> None:
        status = replace(self._status, **changes)
        if status != self._status:
            self._status = status
            self._on_status(status)

    def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            readable, _, _ = select.select([self._wake_r], [], [], left)
            if readable:
                _drain(self._wake_r)
                return

    @contextlib.contextmanager
    def _guard(self, conn: psycopg.Connection[Any]) -> Iterator[None]:
        """Run server work with a watchdog; any failure becomes a ``SyncError``."""
        with self._lock:
            self._busy = conn
        timer = threading.Timer(self.query_timeout_s, _shutdown, (conn,))
        timer.daemon = True
        timer.start()
        try:
            yield
        except psycopg.Error as exc:
            raise translate(exc, self.server) from exc
        except OSError as exc:
            raise translate(exc, self.server) from exc
        finally:
            timer.cancel()
            with self._lock:
                self._busy = None

    def _close(self) -> None:
        for conn in (self._data, self._listen):
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
        self._data = self._listen = None


def _drain(fd: int) -> None:
    with contextlib.suppress(BlockingIOError, OSError):
        while os.read(fd, 4096):
            pass


def _shutdown(conn: psycopg.Connection[Any]) -> None:
    """Break a connection stuck on a hung server: its blocked read returns an error."""
    with contextlib.suppress(Exception):
        fd = conn.pgconn.socket
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()
