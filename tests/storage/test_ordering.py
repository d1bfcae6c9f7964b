"""Ordering stamps (storage/ordering.py): which adoption claims count, what is cached, and
what a scope replay clears and re-reads, on a real workspace file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.core.ops import Entity, Field, Op
from commander.storage import oplog, ordering
from commander.storage.database import open_engine

NODE = "node-a"
OTHER = "node-b"


def _op(op_id: str, hlc: str, *, node: str = NODE, incident: str = "inc-1") -> Op:
    return Op(op_id, node, hlc, incident, Entity.ENTRY, op_id, Field.CONTENT, {"n": 1}, node)


def _stamp_op(op_id: str, stamps: object, *, node: str = NODE, entity_id: str = NODE) -> Op:
    return Op(
        op_id, node, "000000000009999.000000", "", Entity.STAMP, entity_id, Field.ADOPT,
        {"stamps": stamps}, node,
    )  # fmt: skip


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _cached(conn: Connection, op_id: str) -> str | None:
    row = conn.exec_driver_sql("SELECT hlc FROM op_stamp WHERE op_id = ?", (op_id,)).fetchone()
    return None if row is None else str(row[0])


def test_claims_of_keeps_only_well_formed_stamps() -> None:
    value = {"stamps": {"a": "000000000000100.000000", "b": "soon", "c": 7}}
    assert ordering.claims_of(value) == {"a": "000000000000100.000000"}
    assert ordering.claims_of({"stamps": ["a"]}) == {}
    assert ordering.claims_of("not a dict") == {}


def test_a_claim_counts_only_when_lower_than_the_ops_own_hlc() -> None:
    op = _op("x", "000000000000500.000000")
    assert ordering.claim_for({"x": "000000000000400.000000"}, op) == "000000000000400.000000"
    assert ordering.claim_for({"x": "000000000000600.000000"}, op) is None
    assert ordering.claim_for({"y": "000000000000100.000000"}, op) is None


def test_node_claims_take_the_lowest_of_the_nodes_own_stamp_ops(conn: Connection) -> None:
    oplog.store(conn, _stamp_op("s1", {"x": "000000000000300.000000"}))
    oplog.store(conn, _stamp_op("s2", {"x": "000000000000200.000000"}))
    oplog.store(conn, _stamp_op("s3", {"x": "000000000000100.000000"}, node=OTHER, entity_id=OTHER))
    assert ordering.node_claims(conn, NODE) == {"x": "000000000000200.000000"}
    assert ordering.node_claims(conn, OTHER) == {"x": "000000000000100.000000"}


def test_ordering_stamp_caches_an_adopted_stamp_and_only_that(conn: Connection) -> None:
    oplog.store(conn, _stamp_op("s1", {"x": "000000000000300.000000"}))
    moved, kept = _op("x", "000000000000500.000000"), _op("y", "000000000000500.000000")
    assert ordering.ordering_stamp(conn, moved) == "000000000000300.000000"
    assert _cached(conn, "x") == "000000000000300.000000"
    assert ordering.ordering_stamp(conn, kept) == kept.hlc
    assert _cached(conn, "y") is None


def test_adopt_speaks_only_for_the_nodes_own_ops(conn: Connection) -> None:
    mine = _op("x", "000000000000500.000000", incident="inc-1")
    theirs = _op("z", "000000000000500.000000", node=OTHER, incident="inc-2")
    oplog.store(conn, mine)
    oplog.store(conn, theirs)
    claim = {"x": "000000000000300.000000", "z": "000000000000300.000000"}
    stamp = _stamp_op("s1", claim)
    oplog.store(conn, stamp)
    assert ordering.adopt(conn, stamp) == {"inc-1"}  # the scope to replay
    assert _cached(conn, "x") == "000000000000300.000000"
    assert _cached(conn, "z") is None
    assert ordering.adopt(conn, stamp) == set()  # already recorded: nothing moves again
    forged = _stamp_op("s2", claim, entity_id=OTHER)  # a node claiming for another's ops
    assert ordering.adopt(conn, forged) == set()


def test_clear_scope_and_scope_ops_rebuild_one_incident_only(conn: Connection) -> None:
    first, second = _op("e1", "000000000000100.000000"), _op("e2", "000000000000200.000000")
    elsewhere = _op("e3", "000000000000150.000000", incident="inc-2")
    for op in (first, second, elsewhere):
        oplog.store(conn, op)
        conn.exec_driver_sql(
            "INSERT INTO attachment(entry_id, incident_id, sha256, name, media_type, size) "
            "VALUES (?, ?, '', 'f', 'text/plain', 1)",
            (op.op_id, op.incident_id),
        )
    oplog.store(conn, _stamp_op("s1", {"e1": "000000000000050.000000"}))
    ordering.clear_scope(conn, "inc-1")
    left = conn.exec_driver_sql("SELECT entry_id FROM attachment ORDER BY entry_id").fetchall()
    assert [row[0] for row in left] == ["e3"]
    assert [op.op_id for op in ordering.scope_ops(conn, "inc-1")] == ["e1", "e2"]
    assert [op.value for op in ordering.scope_ops(conn, "inc-2")] == [{"n": 1}]
