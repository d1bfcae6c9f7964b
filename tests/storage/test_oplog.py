"""The op log: last-writer-wins, append-only entries, chains, a clock that never runs back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select

from commander.core.clock import FakeClock
from commander.core.ops import GENESIS_HASH, Op, register_change, verify_chains
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import oplog, queries
from commander.storage.tables import entry_table, incident_table, metadata

CREATE = {
    "ref": "INC-20261128-AAAAAA",
    "title": "API down",
    "severity": "P2",
    "status": "investigating",
    "phase": "detection",
    "services": ["api"],
    "impact": "",
    "declared_at": "2026-11-28T10:00:00.000Z",
}


def _node_ops(node: str, specs: list[tuple[str, str, str, object]], wall0: int) -> list[Op]:
    ops, head = [], GENESIS_HASH
    for i, (entity, entity_id, field, value) in enumerate(specs):
        op = Op(
            op_id=f"{node}-{i}",
            node_id=node,
            hlc=f"{wall0 + i:015d}.000000",
            incident_id="inc",
            entity=entity,
            entity_id=entity_id,
            field=field,
            value=value,
            author=node,
        ).sealed(head)
        head = op.hash
        ops.append(op)
    return ops


def _materialize(ops: list[Op]) -> tuple[list, list]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        for op in ops:
            oplog.store(conn, op)
            oplog.apply(conn, op)
        incidents = list(conn.execute(select(incident_table)))
        entries = list(conn.execute(select(entry_table).order_by(entry_table.c.id)))
    return incidents, entries


ALL_OPS = (
    _node_ops(
        "a",
        [
            ("incident", "inc", "create", CREATE),
            ("incident", "inc", "severity", register_change("P1", "a-0")),
            (
                "entry",
                "e1",
                "create",
                {"occurred_at": "2026-11-28T10:01:00Z", "event": "alert", "kind": "note"},
            ),
            ("incident", "inc", "title", register_change("API down (EU)", "a-0")),
        ],
        1000,
    )
    + _node_ops(
        "b",
        [
            (
                "incident",
                "inc",
                "severity",
                register_change("P0", "a-0"),
            ),  # concurrent with a's P1; later
            ("entry", "e1", "strike", {"reason": "duplicate"}),
            (
                "entry",
                "e2",
                "create",
                {"occurred_at": "2026-11-28T10:02:00Z", "event": "paged DBA"},
            ),
        ],
        1001,
    )
    + _node_ops(
        "c",
        [
            ("entry", "e2", "amend", {"event": "paged DBA (Atlas)", "action": ""}),
            ("incident", "inc", "status", register_change("identified", "a-0")),
        ],
        999,
    )
)


@settings(max_examples=60, deadline=None)
@given(st.permutations(ALL_OPS))
def test_any_delivery_order_gives_the_same_state(order: list[Op]) -> None:
    assert _materialize(order) == _materialize(list(ALL_OPS))


def test_last_writer_wins_by_hlc_then_node() -> None:
    incidents, entries = _materialize(list(ALL_OPS))
    (incident,) = incidents
    assert incident.severity == "P0"  # a and b both stamped 1001: the tie goes to node "b"
    assert incident.title == "API down (EU)"
    assert incident.status == "identified"
    by_id = {e.id: e for e in entries}
    assert by_id["e1"].struck == 1 and by_id["e1"].strike_reason == "duplicate"
    assert by_id["e2"].amended_event == "paged DBA (Atlas)"
    assert by_id["e2"].event == "paged DBA"  # the original stays


def test_two_writers_on_one_workspace_keep_one_unbroken_chain(data_dir, clock) -> None:
    first = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    second = Workspace.open(data_dir, author="bob", clock=clock, zone=UTC)
    assert first.node_id == second.node_id
    a, b = IncidentService(first), IncidentService(second)
    incident = a.declare(title="Shared", severity="P2").incident
    for i in range(5):
        a.log(incident.id, f"from a {i}")
        b.log(incident.id, f"from b {i}")
    with first.read() as conn:
        ops = list(queries.ops_in_chain_order(conn))
    assert len(ops) == 1 + 12  # the node's key op first
    assert list(verify_chains(ops)) == []
    first.close()
    second.close()


def test_hlc_survives_restart_and_a_clock_set_back(data_dir) -> None:
    clock = FakeClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    incident = IncidentService(ws).declare(title="Clock", severity="P3").incident
    ws.close()
    clock.set(datetime(2026, 11, 28, 11, 0, tzinfo=UTC))  # someone set the clock back an hour
    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    service = IncidentService(ws)
    service.log(
        incident.id, "after the clock went back", occurred_at=clock.now() - timedelta(minutes=1)
    )
    with ws.read() as conn:
        stamps = [op.hlc for op in queries.ops_in_chain_order(conn)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    ws.close()


def test_node_id_is_made_once(data_dir, clock) -> None:
    first = Workspace.open(data_dir, author="a", clock=clock, zone=UTC)
    node = first.node_id
    first.close()
    again = Workspace.open(data_dir, author="a", clock=clock, zone=UTC)
    assert again.node_id == node
    again.close()


def test_ops_store_their_value_as_canonical_json(incidents, workspace) -> None:
    incidents.declare(title="Ünïcode — ok", severity="P2", services=["api"])
    with workspace.read() as conn:
        raw = conn.exec_driver_sql("SELECT value FROM op WHERE field='create' LIMIT 1").scalar()
    assert json.loads(raw)["title"] == "Ünïcode — ok"
    assert "Ünïcode" in raw  # stored readable, not \u-escaped
