"""The workspace's side of verify-before-apply: which pulled ops are here or already set
aside, whether a chain link is known, ops kept aside with their reason (``sync_problem``),
admins' revocations (``node_revocation``), and applying one op so that only it fails.

``sync.checks`` decides what to refuse and why; the SQL and the driver stay here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import Connection

from commander.core.ops import Op
from commander.storage import oplog
from commander.storage.database import dbapi

_CHUNK = 500
_TABLES = ("op", "sync_problem")


def known_ids(conn: Connection, table: str, op_ids: Sequence[str]) -> set[str]:
    """Those of ``op_ids`` in ``table`` (``op``: applied here; ``sync_problem``: set aside)."""
    if table not in _TABLES:
        raise ValueError(f"not a table of ops: {table}")
    raw = dbapi(conn)
    found: set[str] = set()
    for start in range(0, len(op_ids), _CHUNK):
        chunk = list(op_ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in raw.execute(f"SELECT op_id FROM {table} WHERE op_id IN ({marks})", chunk)
        )
    return found


def has_hash(conn: Connection, node_id: str, op_hash: str) -> bool:
    """Whether ``node_id`` has an op with ``op_hash`` here (a chain link to continue)."""
    found = (
        dbapi(conn)
        .execute("SELECT 1 FROM op WHERE hash = ? AND node_id = ?", (op_hash, node_id))
        .fetchone()
    )
    return found is not None


def set_aside_hash(conn: Connection, node_id: str, op_hash: str) -> bool:
    """Whether an op of ``node_id`` with ``op_hash`` was set aside here."""
    found = (
        dbapi(conn)
        .execute(
            "SELECT 1 FROM sync_problem WHERE node_id = ? AND json_extract(body, '$.hash') = ?",
            (node_id, op_hash),
        )
        .fetchone()
    )
    return found is not None


def keep_aside(
    conn: Connection,
    *,
    op_id: str,
    node_id: str,
    author: str,
    server_seq: int,
    kind: str,
    reason: str,
    body: str,
    noted_at_ms: int,
) -> None:
    """Record an op kept aside (or marked untrusted) with its reason; once per op."""
    dbapi(conn).execute(
        "INSERT OR IGNORE INTO sync_problem(op_id, node_id, author, server_seq, kind, reason, "
        "body, noted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (op_id, node_id, author, server_seq, kind, reason, body, noted_at_ms),
    )


def revocations(conn: Connection) -> dict[str, tuple[int, str]]:
    """node -> (the server seq after which its ops are untrusted, when it was revoked)."""
    rows = dbapi(conn).execute("SELECT node_id, after_seq, revoked_at FROM node_revocation")
    return {str(node): (int(after), str(at)) for node, after, at in rows}


def remember_revocation(conn: Connection, node_id: str, after_seq: int, revoked_at: str) -> None:
    dbapi(conn).execute(
        "INSERT INTO node_revocation(node_id, after_seq, revoked_at) VALUES (?, ?, ?) "
        "ON CONFLICT(node_id) DO UPDATE SET after_seq = excluded.after_seq, "
        "revoked_at = excluded.revoked_at",
        (node_id, after_seq, revoked_at),
    )


def apply_alone(conn: Connection, op: Op, *, guarded: bool = True) -> Exception | None:
    """Store and apply one verified op; the error of an op the apply code cannot use, after
    rolling back only that op.

    ``sqlite3.OperationalError`` (locked, disk full) is the workspace's trouble, not the
    op's: it propagates and the whole batch is retried later. Unguarded (no savepoint, the
    fast path), any failure propagates: the caller redoes the batch guarded.
    """
    if not guarded:
        oplog.store(conn, op)
        oplog.apply(conn, op)
        return None
    raw = dbapi(conn)
    raw.execute("SAVEPOINT pulled_op")
    try:
        oplog.store(conn, op)
        oplog.apply(conn, op)
    except sqlite3.OperationalError:
        raw.execute("ROLLBACK TO pulled_op")
        raw.execute("RELEASE pulled_op")
        raise
    except Exception as exc:  # a value the apply code cannot use: that op alone is refused
        raw.execute("ROLLBACK TO pulled_op")
        raw.execute("RELEASE pulled_op")
        return exc
    raw.execute("RELEASE pulled_op")
    return None
