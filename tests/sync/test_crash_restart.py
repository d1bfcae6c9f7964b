"""A client killed mid-push, and a server stopped mid-push and mid-pull: nothing lost, nothing
duplicated, and the client recovers by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import psycopg
import pytest

from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.sync.engine import SyncEngine
from commander.sync.live import LiveSync
from commander.sync.schema import init_schema
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from commander.sync.verify import verify_server
from tests.sync.conftest import now_clock
from tests.sync.helpers import sync_once, wait_for
from tests.sync.pg import PgServer, start_server

pytestmark = pytest.mark.slow

_PUSHER = textwrap.dedent(
    """
    import sys
    from commander.services.workspace import Workspace
    from commander.sync.engine import SyncEngine
    from commander.sync.server import connect
    from commander.sync.url import ServerUrl

    ws = Workspace.open(sys.argv[1], author="alice")
    engine = SyncEngine(
        ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer, push_batch=50
    )
    with connect(ServerUrl.parse(sys.argv[2])) as pg:
        engine.sync(pg)
    """
)


def _fill(ws: Workspace, count: int) -> str:
    service = IncidentService(ws)
    incident = service.declare(title="Backlog", severity="P2").incident
    with ws.unit_of_work():
        for n in range(count):
            service.log(incident.id, f"entry {n}")
    return incident.id


def _server_ops(server: ServerUrl) -> tuple[int, int]:
    with connect(server) as pg:
        row = pg.execute("SELECT count(*), count(DISTINCT op_id) FROM commander.op").fetchone()
    assert row is not None
    return row[0], row[1]


def _local_ops(ws: Workspace) -> int:
    with ws.read() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM op").scalar_one()


def test_client_killed_mid_push_then_restarted_loses_and_duplicates_nothing(
    make_workspace, server, tmp_path
):
    alice = make_workspace("alice")
    _fill(alice, 1500)
    total = _local_ops(alice)
    script = tmp_path / "pusher.py"
    script.write_text(_PUSHER)
    seen = 0
    kills = 0
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(alice.data_dir), str(server)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # kill it as soon as the server holds more than before: in the middle of its push
        wait_for(
            lambda p=proc, before=seen: _server_ops(server)[0] > before or p.poll() is not None,
            timeout=20,
        )
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(10)
        seen = _server_ops(server)[0]
        if seen == total:
            break
    assert kills >= 1
    result = sync_once(alice, server)  # restarted: finishes the push
    assert result.pending == 0
    count, distinct = _server_ops(server)
    assert count == distinct == total
    with connect(server) as pg:
        assert verify_server(pg).ok


@pytest.fixture
def own_server() -> Iterator[tuple[PgServer, ServerUrl]]:
    """A server of this test's own: it is stopped and started under the clients' feet."""
    with tempfile.TemporaryDirectory(prefix="cmdpgr") as root:
        pg = start_server(Path(root))
        with psycopg.connect(pg.conninfo("postgres")) as conn:
            init_schema(conn)
        try:
            yield pg, ServerUrl.parse(pg.url("postgres"))
        finally:
            pg.stop("immediate")


def test_server_stopped_mid_push_and_mid_pull_client_recovers(own_server, tmp_path):
    pg, server = own_server
    alice = Workspace.open(tmp_path / "alice", author="alice", clock=now_clock(), zone=UTC)
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=now_clock(), zone=UTC)
    try:
        incident_id = _fill(alice, 3000)
        total = _local_ops(alice)
        push_engine = SyncEngine(
            alice.engine,
            node_id=alice.node_id,
            clock=alice.clock,
            signer=alice.signer,
            push_batch=100,
        )
        with _running(push_engine, server) as loop:
            wait_for(lambda: 0 < push_engine.pushed_upto() < total, timeout=20, what="mid-push")
            pg.stop("immediate")
            pg.start()
            wait_for(lambda: loop.status.pending == 0 and push_engine.pending()[0] == 0, timeout=60)
        assert _server_ops(server) == (total, total)

        pull_engine = SyncEngine(
            bob.engine, node_id=bob.node_id, clock=bob.clock, signer=bob.signer, pull_batch=100
        )
        with _running(pull_engine, server):
            wait_for(lambda: 0 < _local_ops(bob) < total, timeout=20, what="mid-pull")
            pg.stop("immediate")
            pg.start()
            wait_for(lambda: _local_ops(bob) == total, timeout=60, what="pull finished")
        assert len(IncidentService(bob).timeline(incident_id)) == 3001
        assert verify_workspace(bob).ok
    finally:
        alice.close()
        bob.close()


class _running:
    def __init__(self, engine: SyncEngine, server: ServerUrl) -> None:
        self.loop = LiveSync(engine, server, poll_s=1.0, connect_timeout_s=2)
        self.thread = threading.Thread(target=self.loop.run, daemon=True)

    def __enter__(self) -> LiveSync:
        self.thread.start()
        return self.loop

    def __exit__(self, *exc: object) -> None:
        self.loop.stop()
        self.thread.join(10)
