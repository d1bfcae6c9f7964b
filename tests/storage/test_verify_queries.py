"""Reads for verifying a workspace (storage/verify_queries.py): every op in arrival order even
where its stored value is no longer JSON (kept as the raw text, so its hash fails and it is
named), and the replayed tables as primary key -> row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, register_change
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage import verify_queries as vq
from commander.storage.database import open_engine
from tests.storage.foreign_ops import WALL0, entry, feed, iso_of, op


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _create(n: int) -> object:
    return op(
        n, Entity.INCIDENT, "inc", Field.CREATE,
        {"ref": "INC-1", "title": "API down", "severity": "P1", "status": "investigating",
         "phase": "detection", "services": [], "impact": "", "declared_at": iso_of(n)},
        op_id="create",
    )  # fmt: skip


def test_ops_in_arrival_order_with_a_damaged_value_kept_as_text(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    damaged, _ = incidents.log(incident.id, "second")
    with workspace.write() as conn:
        conn.exec_driver_sql(
            "UPDATE op SET value = '{\"event\": trunc' WHERE entity_id = ?", (damaged.id,)
        )
    with workspace.read() as conn:
        ops = vq.ops_by_arrival_tolerant(conn)
        with pytest.raises(ValueError):
            list(queries.ops_in_chain_order(conn))  # the strict read stops at the damage
    last = ops[-1]
    assert last.entity_id == damaged.id and last.value == '{"event": trunc'
    assert last.compute_hash() != last.hash  # named by verify, not a crash
    assert all(o.compute_hash() == o.hash for o in ops[:-1])
    created = next(o for o in ops if o.entity == Entity.INCIDENT)
    assert created.value["title"] == "API down"


def test_a_json_null_value_is_a_value_not_damage(conn: Connection) -> None:
    feed(conn, [entry(5, "e1", "first"), _create(1)])
    conn.exec_driver_sql("UPDATE op SET value = 'null' WHERE op_id = 'a-5-e1'")
    ops = vq.ops_by_arrival_tolerant(conn)
    assert (ops[0].op_id, ops[0].value) == ("a-5-e1", None)
    assert [o.op_id for o in ops] == ["a-5-e1", "create"]  # arrival, not stamp, order


def test_an_empty_log_and_empty_tables(conn: Connection) -> None:
    assert vq.ops_by_arrival_tolerant(conn) == []
    tables = vq.materialized_by_table(conn)
    assert sorted(tables) == sorted([
        "incident", "entry", "role_assignment", "person", "role_def", "review_field",
        "review_schedule", "action_item",
    ])  # fmt: skip
    assert all(rows == {} for rows in tables.values())


def test_the_materialized_tables_by_primary_key(conn: Connection) -> None:
    feed(conn, [
        _create(1),
        entry(2, "e1", "first"),
        op(3, Entity.ENTRY, "e1", Field.STRIKE, {"reason": "typo"}),
        op(4, Entity.PERSON, "dana", Field.NAME, register_change("Dana", None),
           incident=WORKSPACE_SCOPE),
        op(5, Entity.REVIEW, "inc", "customer_impact", register_change("20 min", None)),
    ])  # fmt: skip
    tables = vq.materialized_by_table(conn)
    assert list(tables["incident"]) == ["inc"] and tables["incident"]["inc"]["ref"] == "INC-1"
    assert tables["entry"]["e1"]["struck"] == 1 and tables["entry"]["e1"]["strike_reason"] == "typo"
    assert tables["entry"]["e1"]["occurred_at"] == WALL0 + 2
    assert tables["person"]["dana"]["name"] == "Dana"
    assert tables["review_field"]["inc:customer_impact"]["text"] == "20 min"
    assert tables["role_assignment"] == {} and tables["action_item"] == {}
