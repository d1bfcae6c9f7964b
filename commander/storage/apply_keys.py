"""Materializing key ops: the ``node_key`` table, each node's pinned public signing key.

The first key op applied for a node pins its key (``INSERT OR IGNORE``); sync and verify
never let a second one through, and this keeps the table right even if one arrived.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.ops import Op
from commander.core.signing import fingerprint, key_of
from commander.storage.database import dbapi


def apply_key(conn: Connection, op: Op) -> None:
    key = key_of(op)
    if key is None or op.entity_id != op.node_id:
        return
    dbapi(conn).execute(
        "INSERT OR IGNORE INTO node_key(node_id, public_key, fingerprint, author, op_id) "
        "VALUES (?, ?, ?, ?, ?)",
        (op.node_id, key, fingerprint(key), op.author, op.op_id),
    )


def pinned_keys(conn: Connection) -> dict[str, str]:
    """node id -> public key, for every node whose key op this workspace holds."""
    return dict(dbapi(conn).execute("SELECT node_id, public_key FROM node_key").fetchall())


def has_key(conn: Connection, node_id: str) -> bool:
    row = dbapi(conn).execute("SELECT 1 FROM node_key WHERE node_id = ?", (node_id,)).fetchone()
    return row is not None


def revoked_nodes(conn: Connection) -> set[str]:
    """Nodes an admin revoked on the shared server (learnt by a pull): whatever of theirs
    arrives by another way now is not trusted either."""
    return {row[0] for row in dbapi(conn).execute("SELECT node_id FROM node_revocation")}
