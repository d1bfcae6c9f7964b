"""Faults: a lost acknowledgement, a hung server, a forked chain, a tampered server row."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.sync.engine import SyncEngine
from commander.sync.errors import SyncError
from commander.sync.live import OFFLINE, LiveSync
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from commander.sync.verify import verify_server
from tests.sync.conftest import now_clock
from tests.sync.helpers import engine_of, sync_once, wait_for
from tests.sync.proxy import Proxy


def _server_count(server: ServerUrl) -> int:
    with connect(server) as pg:
        return pg.execute("SELECT count(*) FROM commander.op").fetchone()[0]


def test_resend_after_a_lost_acknowledgement_is_a_no_op(make_workspace, server, pg_server):
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    for n in range(5):
        IncidentService(alice).log(incident.id, f"entry {n}")
    proxy = Proxy(pg_server.socket_dir / ".s.PGSQL.5432", mode="cut_after_commit")
    try:
        cut = ServerUrl.parse(proxy.url(server.url.database))
        engine = engine_of(alice)
        with pytest.raises(SyncError), connect(cut) as pg:
            engine.prepare(pg)
            engine.push(pg)
        assert proxy.cuts == 1
        # the node's key op, the incident, its first entry and five more
        assert _server_count(server) == 8  # the server committed the push …
        assert engine.pending()[0] == 8  # … but the client never saw it: not acknowledged
        result = sync_once(alice, server)
        assert (result.pushed.accepted, result.pushed.skipped) == (0, 8)
        assert result.pending == 0 and _server_count(server) == 8
        assert verify_server_ok(server)
    finally:
        proxy.close()


def verify_server_ok(server: ServerUrl) -> bool:
    with connect(server) as pg:
        return verify_server(pg).ok


def test_hung_server_is_an_offline_state_and_stop_is_prompt(make_workspace, pg_server):
    alice = make_workspace("alice")
    proxy = Proxy(pg_server.socket_dir / ".s.PGSQL.5432", mode="blackhole")
    try:
        hung = ServerUrl.parse(proxy.url("postgres"))
        statuses = []
        loop = LiveSync(engine_of(alice), hung, on_status=statuses.append, connect_timeout_s=1)
        thread = threading.Thread(target=loop.run, daemon=True)
        thread.start()
        wait_for(lambda: loop.status.state == OFFLINE and loop.status.last_error, timeout=5)
        assert "unreachable" in (loop.status.last_error or "")
        started = time.monotonic()
        loop.stop()
        thread.join(5)
        assert not thread.is_alive() and time.monotonic() - started < 2
    finally:
        proxy.close()


def test_forked_chain_is_refused_with_a_reason_and_reported_stuck(
    make_workspace, server, tmp_path, caplog
):
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    alice.close()
    shutil.copytree(alice.data_dir, tmp_path / "copy")  # same node id, same chain head
    alice = Workspace.open(alice.data_dir, author="alice", clock=now_clock())
    copy = Workspace.open(tmp_path / "copy", author="alice", clock=now_clock())
    try:
        IncidentService(alice).log(incident.id, "from the original")
        IncidentService(copy).log(incident.id, "from the copy")
        sync_once(alice, server)
        refused = sync_once(copy, server)
        assert "does not continue the chain" in (refused.pushed.refused or "")
        # A refused push does not stop the pull (both entries share one second and one node,
        # so which of them sorts last is the entry ids' business, not this test's).
        assert "from the original" in [e.event for e in IncidentService(copy).timeline(incident.id)]
        statuses = []
        loop = LiveSync(engine_of(copy), server, on_status=statuses.append, stuck_after_s=0)
        thread = threading.Thread(target=loop.run, daemon=True)
        thread.start()
        wait_for(lambda: loop.status.stuck, timeout=5)
        assert "does not continue the chain" in loop.status.stuck
        loop.stop()
        thread.join(5)
        assert "push refused" in caplog.text
    finally:
        alice.close()
        copy.close()


def test_tampered_server_row_is_detected(make_workspace, server):
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    IncidentService(alice).log(incident.id, "Rolled back")
    sync_once(alice, server)
    assert verify_server_ok(server)
    with connect(server) as pg:
        pg.execute(
            "UPDATE commander.op SET value = replace(value, 'Rolled back', 'Did nothing') "
            "WHERE value LIKE '%Rolled back%'"
        )
        pg.commit()
        report = verify_server(pg)
    assert not report.ok
    (chain_break,) = report.breaks
    assert "edited after it was written" in chain_break.reason


def test_tampered_push_is_refused(make_workspace, server):
    alice = make_workspace("alice")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    with alice.write() as conn:
        conn.exec_driver_sql("UPDATE op SET author = 'mallory' WHERE field = 'create'")
    del incident
    result = sync_once(alice, server)
    assert "does not match its hash" in (result.pushed.refused or "")
    assert _server_count(server) == 0


def test_op_from_newer_schema_is_parked_then_applied_after_upgrade(
    make_workspace, server, monkeypatch
):
    from commander.core import ops
    from commander.core.ids import new_id
    from commander.storage import oplog

    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    monkeypatch.setattr(oplog, "SCHEMA_VERSION", 2)  # alice runs a newer Commander
    with alice.write() as conn:
        (newer,) = alice.append(
            conn,
            [
                oplog.OpDraft(
                    incident.id,
                    ops.Entity.ENTRY,
                    new_id(),
                    ops.Field.CREATE,
                    {"occurred_at": "2026-11-28T10:00:00.000Z", "event": "From v2", "kind": "note"},
                )
            ],
        )
    monkeypatch.setattr(oplog, "SCHEMA_VERSION", 1)
    assert newer.schema_version == 2
    sync_once(alice, server)
    result = sync_once(bob, server)
    assert result.pulled.parked == 1
    events = [e.event for e in IncidentService(bob).timeline(incident.id)]
    assert "From v2" not in events  # parked: stored, not applied
    with bob.read() as conn:
        assert (
            oplog.dbapi(conn)
            .execute("SELECT count(*) FROM op WHERE op_id = ?", (newer.op_id,))
            .fetchone()[0]
            == 1
        )
    # bob upgrades: the parked op is applied on the next sync
    monkeypatch.setattr(oplog, "SCHEMA_VERSION", 2)
    from commander.sync import local

    monkeypatch.setattr(local, "SCHEMA_VERSION", 2)
    monkeypatch.setattr("commander.storage.conflicts.SCHEMA_VERSION", 2)
    sync_once(bob, server)
    events = [e.event for e in IncidentService(bob).timeline(incident.id)]
    assert "From v2" in events


def test_push_is_serialized_so_seq_order_is_commit_order(make_workspace, server):
    """Concurrent pushers: a puller that syncs while they run still ends with every op."""
    writers = [make_workspace(f"w{n}") for n in range(3)]
    reader = make_workspace("reader")
    incident = IncidentService(writers[0]).declare(title="Load", severity="P2").incident
    sync_once(writers[0], server)
    for ws in writers:
        sync_once(ws, server)
        for n in range(150):
            IncidentService(ws).log(incident.id, f"{ws.author} {n}")
    engines = [
        SyncEngine(ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer, push_batch=10)
        for ws in writers
    ]

    def push(engine: SyncEngine) -> None:
        with connect(server) as pg:
            engine.prepare(pg)
            engine.push(pg)

    threads = [threading.Thread(target=push, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    reader_engine = SyncEngine(
        reader.engine,
        node_id=reader.node_id,
        clock=reader.clock,
        signer=reader.signer,
        pull_batch=7,
    )
    with connect(server) as pg:
        reader_engine.prepare(pg)
        while any(t.is_alive() for t in threads):
            reader_engine.pull(pg)
        for thread in threads:
            thread.join()
        reader_engine.pull(pg)
    assert len(IncidentService(reader).timeline(incident.id)) == 1 + 3 * 150
