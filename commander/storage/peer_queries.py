"""The op log as a peer sees it: each node's head here, the ops a peer holding some heads
lacks, and how many those are.

A node's ops form one chain, so a peer's head for a node says everything before it is there
too. Ops come in this workspace's log order (each node's chain order, and causal order across
nodes), which is the order the bundle importer checks and applies them in.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from commander.core.ops import Op
from commander.storage import queries
from commander.storage.database import dbapi
from commander.storage.tables import op_table


def node_heads(conn: Connection) -> dict[str, str]:
    """node id -> hash of its newest op here."""
    rows = dbapi(conn).execute(
        "SELECT node_id, hash FROM op WHERE seq IN (SELECT MAX(seq) FROM op GROUP BY node_id)"
    )
    return {str(node): str(op_hash) for node, op_hash in rows}


def ops_after(conn: Connection, heads: dict[str, str]) -> list[Op]:
    """This workspace's ops that a peer holding ``heads`` lacks, in log order.

    A head this workspace does not hold means the peer is ahead for that node (it has every
    op of it that is here): none of that node's ops are sent.
    """
    raw = dbapi(conn)
    after: dict[str, int] = {}
    for node, newest in raw.execute("SELECT node_id, MAX(seq) FROM op GROUP BY node_id"):
        head = heads.get(node)
        if head is None:
            after[node] = 0
            continue
        row = raw.execute(
            "SELECT seq FROM op WHERE node_id = ? AND hash = ?", (node, head)
        ).fetchone()
        if row is not None and row[0] < newest:
            after[node] = int(row[0])
    if not after:
        return []
    lowest = min(after.values())
    ops: list[Op] = []
    query = select(op_table).where(op_table.c.seq > lowest).order_by(op_table.c.seq)
    for row in conn.execute(query):
        limit = after.get(row.node_id)
        if limit is not None and row.seq > limit:
            ops.append(queries.op_from_row(row))
    return ops


def count_ops_after(conn: Connection, heads: dict[str, str]) -> int:
    """How many of this workspace's ops lie after ``heads`` (the peer lacks them)."""
    raw = dbapi(conn)
    total = 0
    for node, count in raw.execute("SELECT node_id, COUNT(*) FROM op GROUP BY node_id"):
        head = heads.get(node)
        row = (
            raw.execute(
                "SELECT seq FROM op WHERE node_id = ? AND hash = ?", (node, head)
            ).fetchone()
            if head
            else None
        )
        if head and row is None:
            continue  # the peer is ahead of this workspace for that node
        total += (
            count
            if row is None
            else raw.execute(
                "SELECT COUNT(*) FROM op WHERE node_id = ? AND seq > ?", (node, row[0])
            ).fetchone()[0]
        )
    return int(total)
