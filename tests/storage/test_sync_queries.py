"""What sync asks of the op log: pages in local order as rows and as the JSON push sends,
what waits, counts, heads, and the entries of a scope."""

from __future__ import annotations

import json

from commander.core.ops import OP_FIELDS
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import sync_queries


def _three_entries(workspace: Workspace, incidents: IncidentService) -> str:
    incident = incidents.declare(title="API down", severity="P1").incident
    for n in range(3):
        incidents.log(incident.id, f"entry {n}")
    return incident.id


def test_a_page_as_rows_and_as_json_holds_the_same_ops_in_order(
    workspace: Workspace, incidents: IncidentService
) -> None:
    _three_entries(workspace, incidents)
    node = workspace.node_id
    with workspace.read() as conn:
        rows = sync_queries.own_ops_after(conn, node, 0, 1000)
        count, last, text = sync_queries.ops_json_after(conn, node, 0, 1000)
        page = sync_queries.own_ops_after(conn, node, rows[1][0], 2)
    seqs = [row[0] for row in rows]
    assert seqs == sorted(seqs) and count == len(rows) and last == seqs[-1]
    objects = json.loads(text)
    assert [o["ord"] for o in objects] == seqs
    assert [o["op_id"] for o in objects] == [row[1 + OP_FIELDS.index("op_id")] for row in rows]
    assert set(objects[0]) == {*OP_FIELDS, "ord"}
    assert [row[0] for row in page] == seqs[2:4]  # after a cursor, at most the limit


def test_waiting_counts_and_heads(workspace: Workspace, incidents: IncidentService) -> None:
    incident_id = _three_entries(workspace, incidents)
    node = workspace.node_id
    with workspace.read() as conn:
        rows = sync_queries.own_ops_after(conn, node, 0, 1000)
        head = sync_queries.node_head_seq(conn, node)
        waiting, oldest = sync_queries.waiting(conn, node, rows[0][0])
        between = sync_queries.count_own_between(conn, node, rows[0][0], rows[2][0])
        found = sync_queries.seq_of_hash(conn, node, rows[1][1 + OP_FIELDS.index("hash")])
        entries = sync_queries.entry_ids_of(conn, incident_id)
        total = sync_queries.row_count(conn, "op")
        top = sync_queries.top_seq(conn)
        others = sync_queries.other_nodes_since(conn, 0, node)
        summary = sync_queries.node_summary(conn, node)
    assert head == rows[-1][0] == top
    assert waiting == len(rows) - 1 and oldest == rows[1][1 + OP_FIELDS.index("hlc")]
    assert between == 2 and found == rows[1][0]
    assert len(entries) == 4  # the declaration's entry and the three logged
    assert total == len(rows) and others == set()
    assert summary == (len(rows), workspace.author)
    with workspace.read() as conn:
        assert sync_queries.seq_of_hash(conn, node, "0" * 64) is None
        assert sync_queries.node_summary(conn, "no-such-node") == (0, "")
        assert not sync_queries.has_op(conn, "no-such-op")
        assert sync_queries.has_op(conn, rows[0][1 + OP_FIELDS.index("op_id")])


def test_ordering_stamps_name_only_ops_that_are_here(
    workspace: Workspace, incidents: IncidentService
) -> None:
    _three_entries(workspace, incidents)
    with workspace.read() as conn:
        rows = sync_queries.own_ops_after(conn, workspace.node_id, 0, 1000)
        ids = [row[1 + OP_FIELDS.index("op_id")] for row in rows]
        stamps = sync_queries.ordering_stamps(conn, [*ids, "missing"])
    assert set(stamps) == set(ids)  # no claims yet: each op's own stamp
    assert all(stamps[row[1]] == row[1 + OP_FIELDS.index("hlc")] for row in rows)
