"""Small helpers for the sync tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from commander.sync.engine import SyncEngine
from commander.sync.live import LiveSync
from commander.sync.server import connect
from commander.sync.url import ServerUrl


def wait_for(condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.01)


def engine_of(ws) -> SyncEngine:  # type: ignore[no-untyped-def]
    return SyncEngine(ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer)


def sync_once(ws, server: ServerUrl):  # type: ignore[no-untyped-def]
    with connect(server) as pg:
        return engine_of(ws).sync(pg)


@contextmanager
def live(ws, server: ServerUrl, **kwargs) -> Iterator[LiveSync]:  # type: ignore[no-untyped-def]
    loop = LiveSync(engine_of(ws), server, **kwargs)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.stop()
        thread.join(10)
        assert not thread.is_alive()
