"""What a peer lacks (storage/peer_queries.py): each node's chain head, and the ops after a
peer's heads in log order, counted and listed, on a workspace written through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from commander.core.people import Person
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import peer_queries
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
