"""The op log as a peer sees it: each node's head here, the ops a peer holding some heads
lacks, and how many those are.

A node's ops form one chain, so a peer's head for a node says everything before it is there
too. Ops come in this workspace's log order (each node's chain order, and causal order across
nodes), which is the order the bundle importer checks and applies them in.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from commander.core.ops import Op
from commander.storage import queries
from commander.storage.tables import op_table as op


def node_heads(conn: Connection) -> dict[str, str]:
    """node id -> hash of its newest op here."""
    newest = select(func.max(op.c.seq)).group_by(op.c.node_id)
    rows = conn.execute(select(op.c.node_id, op.c.hash).where(op.c.seq.in_(newest)))
    return {str(node): str(op_hash) for node, op_hash in rows}


def _seq_of(conn: Connection, node: str, op_hash: str) -> int | None:
    """Where the op of ``node`` with ``op_hash`` sits in this log, or None if it is not here."""
    seq = conn.scalar(select(op.c.seq).where(op.c.node_id == node, op.c.hash == op_hash))
    return int(seq) if seq is not None else None


def ops_after(conn: Connection, heads: dict[str, str]) -> list[Op]:
    """This workspace's ops that a peer holding ``heads`` lacks, in log order.

    A head this workspace does not hold means the peer is ahead for that node (it has every
    op of it that is here): none of that node's ops are sent.
    """
    after: dict[str, int] = {}
    newest_per_node = select(op.c.node_id, func.max(op.c.seq)).group_by(op.c.node_id)
    for node, newest in conn.execute(newest_per_node):
        head = heads.get(node)
        if head is None:
            after[node] = 0
            continue
        seq = _seq_of(conn, node, head)
        if seq is not None and seq < newest:
            after[node] = seq
    if not after:
        return []
    lowest = min(after.values())
    ops: list[Op] = []
    query = select(op).where(op.c.seq > lowest).order_by(op.c.seq)
    for row in conn.execute(query):
        limit = after.get(row.node_id)
        if limit is not None and row.seq > limit:
            ops.append(queries.op_from_row(row))
    return ops


def count_ops_after(conn: Connection, heads: dict[str, str]) -> int:
    """How many of this workspace's ops lie after ``heads`` (the peer lacks them)."""
    total = 0
    per_node = select(op.c.node_id, func.count()).group_by(op.c.node_id)
    for node, count in conn.execute(per_node):
        head = heads.get(node)
        seq = _seq_of(conn, node, head) if head else None
        if head and seq is None:
            continue  # the peer is ahead of this workspace for that node
        if seq is None:
            total += count
        else:
            later = select(func.count()).where(op.c.node_id == node, op.c.seq > seq)
            total += conn.scalar(later) or 0
    return int(total)
