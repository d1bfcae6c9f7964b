"""A real PostgreSQL for the sync tests: one server per session, a fresh database per test."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from commander.core.clock import FakeClock
from commander.services.workspace import Workspace
from commander.sync.schema import init_schema
from commander.sync.url import ServerUrl
from tests.sync.pg import PgServer, start_server

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    # A short directory: the unix socket lives in it (108-byte path limit).
    with tempfile.TemporaryDirectory(prefix="cmdpg") as root:
        server = start_server(Path(root))
        yield server
        server.stop()


@pytest.fixture
def server_url(pg_server: PgServer) -> str:
    """The SQLAlchemy URL of a fresh database with the Commander schema."""
    name = f"t{next(_counter)}"
    with psycopg.connect(pg_server.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        init_schema(conn, max_skew_ms=5_000)
    return url


@pytest.fixture
def server(server_url: str) -> ServerUrl:
    return ServerUrl.parse(server_url)


def now_clock() -> FakeClock:
    """A fake clock that starts at the real time (the server clamps stamps far ahead)."""
    # real clock: PostgreSQL's now() bounds the stamps a client may push
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def make_workspace(tmp_path: Path) -> Iterator:
    made: list[Workspace] = []

    def make(author: str, clock: FakeClock | None = None) -> Workspace:
        ws = Workspace.open(
            tmp_path / f"ws-{author}-{len(made)}",
            author=author,
            clock=clock or now_clock(),
            zone=UTC,
        )
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.close()
