"""Reads of what this workspace knows about other nodes: their keys, revocations, and the ops
the server refused (``node_key``, ``node_revocation``, ``sync_problem``)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from commander.storage.tables_trust import node_key_table as key
from commander.storage.tables_trust import node_revocation_table as revocation
from commander.storage.tables_trust import sync_problem_table as problem


def node_keys_with_revocation(conn: Connection) -> list[tuple[str, str, str, int]]:
    """``(node_id, author, public_key, revoked)`` of every known node, by author then node."""
    query = (
        select(key.c.node_id, key.c.author, key.c.public_key, revocation.c.node_id)
        .outerjoin(revocation, revocation.c.node_id == key.c.node_id)
        .order_by(key.c.author, key.c.node_id)
    )
    return [
        (node, author, public_key, int(revoked is not None))
        for node, author, public_key, revoked in conn.execute(query)
    ]


def sync_problem_rows(conn: Connection) -> list[tuple[str, str, str, int, str, str, str, int]]:
    """``(op_id, node_id, author, server_seq, kind, reason, body, noted_at)`` of every noted
    sync problem, in the server's order."""
    s = problem.c
    query = select(
        s.op_id, s.node_id, s.author, s.server_seq, s.kind, s.reason, s.body, s.noted_at
    ).order_by(s.server_seq, s.op_id)
    return [tuple(row) for row in conn.execute(query)]
