"""Reads of the op log for peers and exports (storage/peer_queries.py, transfer_queries.py):
what a peer lacks and an incident's ops with the workspace ops they depend on, on a workspace
written through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from commander.core.ops import OP_FIELDS, Entity
from commander.core.people import Person
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import peer_queries, transfer_queries
from commander.storage.tables import op_table as op


@pytest.fixture
def two_incidents(workspace: Workspace, incidents: IncidentService) -> tuple[str, str]:
    """An incident with a custom role held by a person from the directory, and another."""
    PeopleService(workspace).save_person(Person("bob", "Bob Jones"))
    PeopleService(workspace).save_person(Person("eve", "Eve Unrelated"))
    roster = RosterService(workspace)
    roster.add_role("Scribe")
    roster.add_role("Unused")
    first = incidents.declare(title="Checkout down", severity="P1").incident
    roster.assign(first.id, "scribe", "bob")
    incidents.log(first.id, "restarted the pool")
    other = incidents.declare(title="Search slow", severity="P3").incident
    incidents.log(other.id, "looking")
    return first.id, other.id


def _log(workspace: Workspace) -> list[tuple[int, str, str, str]]:
    """(seq, op_id, node_id, hash) of every op, in log order."""
    with workspace.read() as conn:
        rows = conn.execute(
            select(op.c.seq, op.c.op_id, op.c.node_id, op.c.hash).order_by(op.c.seq)
        )
        return [(row.seq, row.op_id, row.node_id, row.hash) for row in rows]


def test_a_peer_gets_what_lies_after_its_heads_in_log_order(
    workspace: Workspace, two_incidents: tuple[str, str]
) -> None:
    log = _log(workspace)
    node = log[0][2]
    assert {row[2] for row in log} == {node}
    with workspace.read() as conn:
        assert peer_queries.node_heads(conn) == {node: log[-1][3]}
        every = peer_queries.ops_after(conn, {})
        assert [o.op_id for o in every] == [row[1] for row in log]
        assert peer_queries.count_ops_after(conn, {}) == len(log)
        middle = len(log) // 2
        lacking = peer_queries.ops_after(conn, {node: log[middle][3]})
        assert [o.op_id for o in lacking] == [row[1] for row in log[middle + 1 :]]
        assert peer_queries.count_ops_after(conn, {node: log[middle][3]}) == len(lacking)
        assert peer_queries.ops_after(conn, {node: log[-1][3]}) == []
        assert peer_queries.count_ops_after(conn, {node: log[-1][3]}) == 0
        ahead = {node: "a hash this workspace never saw"}  # the peer is ahead for the node
        assert peer_queries.ops_after(conn, ahead) == []
        assert peer_queries.count_ops_after(conn, ahead) == 0


def test_an_incident_export_carries_its_ops_and_the_workspace_ops_it_needs(
    workspace: Workspace, two_incidents: tuple[str, str]
) -> None:
    first, other = two_incidents
    op_id = OP_FIELDS.index("op_id")
    with workspace.read() as conn:
        rows = transfer_queries.incident_op_rows(conn, first)
        seq_of = dict(conn.execute(select(op.c.op_id, op.c.seq)).all())
        entity_of = dict(conn.execute(select(op.c.op_id, op.c.entity)).all())
        entity_id_of = dict(conn.execute(select(op.c.op_id, op.c.entity_id)).all())
        own = set(conn.scalars(select(op.c.op_id).where(op.c.incident_id == first)))
        elsewhere = set(conn.scalars(select(op.c.op_id).where(op.c.incident_id == other)))
    ids = [row[op_id] for row in rows]
    assert len(rows[0]) == len(OP_FIELDS) + 1  # the op, then its adopted stamp (none here)
    assert rows[0][-1] is None
    assert ids == sorted(ids, key=seq_of.__getitem__)  # log order
    assert own <= set(ids) and not elsewhere & set(ids)
    workspace_ops = {(entity_of[i], entity_id_of[i]) for i in set(ids) - own}
    assert (Entity.PERSON, "bob") in workspace_ops
    assert (Entity.PERSON, "eve") not in workspace_ops
    assert (Entity.ROLE_DEF, "scribe") in workspace_ops
    assert (Entity.ROLE_DEF, "unused") not in workspace_ops
    assert Entity.NODE in {entity for entity, _ in workspace_ops}  # the key op, for signatures


def test_heads_present_ids_and_the_materialized_record(
    workspace: Workspace, two_incidents: tuple[str, str]
) -> None:
    first, _ = two_incidents
    log = _log(workspace)
    with workspace.read() as conn:
        assert transfer_queries.node_head(conn, log[0][2]) == log[-1][3]
        assert transfer_queries.node_head(conn, "no-such-node") is None
        wanted = [log[0][1], "not-an-op", log[-1][1]]
        assert transfer_queries.present_ids(conn, wanted) == {log[0][1], log[-1][1]}
        record = transfer_queries.materialized_rows(conn, first)
    assert [row["id"] for row in record["incident"]] == [first]
    assert record["entry"] and {row["incident_id"] for row in record["entry"]} == {first}
    ids = [row["id"] for row in record["entry"]]
    assert ids == sorted(ids)  # primary-key order
    assert [row["handle"] for row in record["person"]] == ["bob"]
    assert [row["key"] for row in record["role_def"]] == ["scribe"]
    assert record["role_assignment"][0]["person"] == "bob"
    assert "op" not in record and "outbox" not in record and "meta" not in record
