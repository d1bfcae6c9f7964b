"""Replicas converge whatever the order: random edits, partitions, duplicates, reordering.

Three replicas edit one incident (registers and the timeline), sync in a random order with
random batch sizes, receive batches twice (a pull cursor moved back), receive server rows out
of order (shuffled direct delivery), and resend pushes. After everyone syncs, every replica —
and a fresh replica built from the server's log alone — has the same materialized state.
"""

from __future__ import annotations

import itertools
import random
import tempfile
from datetime import UTC
from pathlib import Path

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.sync import local
from commander.sync.engine import _PULL_SQL
from commander.sync.schema import init_schema
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from tests.sync.conftest import now_clock
from tests.sync.helpers import engine_of

_databases = itertools.count()

steps = st.lists(
    st.tuples(
        st.integers(0, 2),  # replica
        st.sampled_from(
            [
                "log",
                "severity",
                "status",
                "title",
                "strike",
                "sync",
                "pull",
                "push",
                "replay",
                "resend",
                "shuffle",
            ]
        ),
        st.integers(0, 1_000_000),  # a seed for the action's choices
    ),
    min_size=5,
    max_size=30,
)


def _state(ws: Workspace) -> dict[str, list[tuple]]:
    with ws.read() as conn:
        raw = oplog.dbapi(conn)
        return {
            table: sorted(raw.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("incident", "entry", "register", "op_stamp")
        } | {"ops": sorted(r[0] for r in raw.execute("SELECT op_id FROM op"))}


def _fresh_server(pg_server) -> ServerUrl:  # type: ignore[no-untyped-def]
    name = f"prop{next(_databases)}"
    with psycopg.connect(pg_server.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(pg_server.conninfo(name)) as conn:
        init_schema(conn)
    return ServerUrl.parse(pg_server.url(name))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_replicas_converge(pg_server, plan):
    server = _fresh_server(pg_server)
    with tempfile.TemporaryDirectory() as root:
        replicas = [
            Workspace.open(Path(root) / name, author=name, clock=now_clock(), zone=UTC)
            for name in ("ann", "ben", "cat")
        ]
        try:
            _run(replicas, server, plan, Path(root))
        finally:
            for ws in replicas:
                ws.close()


def _run(replicas: list[Workspace], server: ServerUrl, plan, root: Path) -> None:  # type: ignore[no-untyped-def]
    engines = [engine_of(ws) for ws in replicas]
    incident = IncidentService(replicas[0]).declare(title="Outage", severity="P2").incident
    with connect(server) as pg:
        engines[0].sync(pg)
        for index, (who, action, seed) in enumerate(plan):
            rng = random.Random(seed)
            ws, engine = replicas[who], engines[who]
            ws.clock.advance(rng.choice([0, 0.001, 0.5, 3]))
            service = IncidentService(ws)
            known = service.get(incident.id) if _has(ws, incident.id) else None
            engine.push_batch = engine.pull_batch = rng.choice([1, 2, 7, 5000])
            if action == "log" and known:
                service.log(incident.id, f"step {index} by {ws.author}")
            elif action in ("severity", "status", "title") and known:
                value = {
                    "severity": rng.choice(["P0", "P1", "P2", "P3"]),
                    "status": rng.choice(["investigating", "identified", "monitoring"]),
                    "title": f"Outage {index}",
                }[action]
                service.set_field(incident.id, action, value)
            elif action == "strike" and known:
                entries = [e for e in service.timeline(incident.id) if not e.struck]
                if entries:
                    service.strike(rng.choice(entries).id, f"wrong {index}")
            elif action == "sync":
                engine.sync(pg)
            elif action == "pull":
                engine.prepare(pg)
                engine.pull(pg)
            elif action == "push":
                engine.prepare(pg)
                engine.push(pg)
            elif action in ("replay", "resend"):  # a batch delivered twice, either way
                key = local.META_PULL_SEQ if action == "replay" else local.META_PUSH_SEQ
                with ws.write() as conn:
                    current = local.read_int(conn, key)
                    oplog.write_meta(conn, key, str(rng.randint(0, current)))
                engine.sync(pg)
            elif action == "shuffle":  # rows arrive out of server order
                rows = pg.execute(_PULL_SQL, (0, 10_000)).fetchall()
                pg.rollback()
                picked = rng.sample(rows, k=min(len(rows), rng.randint(1, 6)))
                with ws.write() as conn:
                    cursor = local.read_int(conn, local.META_PULL_SEQ)
                    for row in picked:
                        local.apply_pulled(conn, [row], node_id=ws.node_id, wall_ms=0)
                    oplog.write_meta(conn, local.META_PULL_SEQ, str(cursor))
        for _ in range(2):
            for engine in engines:
                engine.sync(pg)
    fresh = Workspace.open(root / "fresh", author="fresh", clock=now_clock(), zone=UTC)
    try:
        with connect(server) as pg:
            engine_of(fresh).sync(pg)
        expected = _state(replicas[0])
        for ws in [*replicas[1:], fresh]:
            assert _state(ws) == expected, ws.author
        assert expected["incident"], "the incident reached everyone"
    finally:
        fresh.close()


def _has(ws: Workspace, incident_id: str) -> bool:
    with ws.read() as conn:
        return (
            oplog.dbapi(conn)
            .execute("SELECT 1 FROM incident WHERE id = ?", (incident_id,))
            .fetchone()
            is not None
        )
