"""Reads of what this workspace knows about other nodes: their keys, revocations, and the ops
the server refused (``node_key``, ``node_revocation``, ``sync_problem``)."""

from __future__ import annotations

from sqlalchemy import Connection

from commander.storage.database import dbapi


def node_keys_with_revocation(conn: Connection) -> list[tuple[str, str, str, int]]:
    """``(node_id, author, public_key, revoked)`` of every known node, by author then node."""
    return (
        dbapi(conn)
        .execute(
            "SELECT k.node_id, k.author, k.public_key, r.node_id IS NOT NULL FROM node_key k "
            "LEFT JOIN node_revocation r ON r.node_id = k.node_id ORDER BY k.author, k.node_id"
        )
        .fetchall()
    )


def sync_problem_rows(conn: Connection) -> list[tuple[str, str, str, int, str, str, str, int]]:
    """``(op_id, node_id, author, server_seq, kind, reason, body, noted_at)`` of every noted
    sync problem, in the server's order."""
    return (
        dbapi(conn)
        .execute(
            "SELECT op_id, node_id, author, server_seq, kind, reason, body, noted_at "
            "FROM sync_problem ORDER BY server_seq, op_id"
        )
        .fetchall()
    )
