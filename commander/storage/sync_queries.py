"""What sync asks of the workspace's op log: pages to push, counts, heads, stamps and the
ops a pull re-orders or unparks.

Raw DB-API on purpose: these run once per push or pull page and per pulled op (the sync
benchmark's hot path), where the driver call costs a third of a SQLAlchemy statement. Sync
calls these functions and never the driver (an import-linter contract holds it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from commander.core.ops import OP_FIELDS
from commander.storage.database import dbapi

# Columns in the order the server's op table and push() take them.
OP_COLUMNS = ", ".join(OP_FIELDS)
_QUALIFIED_COLUMNS = ", ".join("op." + column for column in OP_FIELDS)
_CHUNK = 500  # SQLite's bound-parameter limit stays far away


def own_ops_after(conn: Connection, node_id: str, cursor: int, limit: int) -> list[tuple[Any, ...]]:
    """``node_id``'s ops after local seq ``cursor``, oldest first: (seq, *columns)."""
    return (
        dbapi(conn)
        .execute(
            f"SELECT seq, {OP_COLUMNS} FROM op WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (node_id, cursor, limit),
        )
        .fetchall()
    )


def ops_json_after(conn: Connection, node_id: str, cursor: int, limit: int) -> tuple[int, int, str]:
    """(count, last local seq, JSON array of op objects) of ``node_id``'s next page.

    SQLite builds the JSON (in C, a third of the cost of ``json.dumps`` on fetched rows);
    ``ord`` is the local seq, which keeps each node's chain order.
    """
    pairs = ", ".join(f"'{column}', {column}" for column in OP_FIELDS)
    row = (
        dbapi(conn)
        .execute(
            f"SELECT count(*), max(seq), json_group_array(json_object({pairs}, 'ord', seq)) "
            "FROM (SELECT * FROM op WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?)",
            (node_id, cursor, limit),
        )
        .fetchone()
    )
    return (int(row[0]), int(row[1] or 0), str(row[2])) if row else (0, 0, "[]")


def waiting(conn: Connection, node_id: str, cursor: int) -> tuple[int, str | None]:
    """How many of ``node_id``'s ops lie after ``cursor``, and the oldest one's stamp."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT count(*), min(hlc) FROM op WHERE node_id = ? AND seq > ?", (node_id, cursor)
        )
        .fetchone()
    )
    return (int(row[0]), row[1]) if row else (0, None)


def row_count(conn: Connection, table: str) -> int:
    row = dbapi(conn).execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def seq_of_hash(conn: Connection, node_id: str, op_hash: str) -> int | None:
    """The local seq of ``node_id``'s op with ``op_hash``; None when it has no such op."""
    row = (
        dbapi(conn)
        .execute("SELECT seq FROM op WHERE node_id = ? AND hash = ?", (node_id, op_hash))
        .fetchone()
    )
    return int(row[0]) if row else None


def count_own_between(conn: Connection, node_id: str, after: int, upto: int) -> int:
    row = (
        dbapi(conn)
        .execute(
            "SELECT count(*) FROM op WHERE node_id = ? AND seq > ? AND seq <= ?",
            (node_id, after, upto),
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


def node_head_seq(conn: Connection, node_id: str) -> int:
    """The local seq of ``node_id``'s newest op; 0 when it has none."""
    row = dbapi(conn).execute("SELECT max(seq) FROM op WHERE node_id = ?", (node_id,)).fetchone()
    return int(row[0] or 0) if row else 0


def entry_ids_of(conn: Connection, incident_id: str) -> list[str]:
    rows = dbapi(conn).execute("SELECT id FROM entry WHERE incident_id = ?", (incident_id,))
    return [str(entry_id) for (entry_id,) in rows]


def ordering_stamps(conn: Connection, op_ids: Sequence[str]) -> dict[str, str]:
    """op id -> its ordering stamp, for those of ``op_ids`` already in the workspace."""
    found: dict[str, str] = {}
    raw = dbapi(conn)
    for start in range(0, len(op_ids), _CHUNK):
        chunk = list(op_ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        for op_id, stamp in raw.execute(
            f"SELECT op.op_id, COALESCE(s.hlc, op.hlc) FROM op "
            f"LEFT JOIN op_stamp s ON s.op_id = op.op_id WHERE op.op_id IN ({marks})",
            chunk,
        ):
            found[op_id] = stamp
    return found


def rival_edits(conn: Connection, entity_id: str, field: str, node_id: str, base: Any) -> list[str]:
    """Op ids of other nodes' edits of the same register from the same ``base``."""
    rows = dbapi(conn).execute(
        "SELECT op_id FROM op WHERE entity_id = ? AND field = ? AND node_id <> ? "
        "AND json_extract(value, '$.base') IS ?",
        (entity_id, field, node_id, base),
    )
    return [str(other) for (other,) in rows]


def drop_ordering_stamps(conn: Connection) -> int:
    """Forget every ordering stamp; how many there were."""
    raw = dbapi(conn)
    had = raw.execute("SELECT count(*) FROM op_stamp").fetchone()
    raw.execute("DELETE FROM op_stamp")
    return int(had[0]) if had else 0


def scopes(conn: Connection) -> list[str]:
    """Every incident id (and the workspace scope) the op log holds, sorted."""
    rows = dbapi(conn).execute("SELECT DISTINCT incident_id FROM op ORDER BY 1")
    return [str(scope) for (scope,) in rows]


def parked_rows(conn: Connection, after: int, upto: int) -> list[tuple[Any, ...]]:
    """(ordering stamp, *columns) of ops of schema versions in ``(after, upto]``, in order."""
    return (
        dbapi(conn)
        .execute(
            f"SELECT COALESCE(s.hlc, op.hlc), {_QUALIFIED_COLUMNS} "
            "FROM op LEFT JOIN op_stamp s ON s.op_id = op.op_id "
            "WHERE op.schema_version > ? AND op.schema_version <= ? ORDER BY op.seq",
            (after, upto),
        )
        .fetchall()
    )


def has_op(conn: Connection, op_id: str) -> bool:
    return dbapi(conn).execute("SELECT 1 FROM op WHERE op_id = ?", (op_id,)).fetchone() is not None


def top_seq(conn: Connection) -> int:
    row = dbapi(conn).execute("SELECT coalesce(max(seq), 0) FROM op").fetchone()
    return int(row[0]) if row else 0


def other_nodes_since(conn: Connection, after: int, node_id: str) -> set[str]:
    """The nodes other than ``node_id`` with ops after local seq ``after``."""
    rows = dbapi(conn).execute(
        "SELECT DISTINCT node_id FROM op WHERE seq > ? AND node_id <> ?", (after, node_id)
    )
    return {str(row[0]) for row in rows.fetchall()}


def node_summary(conn: Connection, node_id: str) -> tuple[int, str]:
    """(how many of ``node_id``'s ops are here, its latest author name)."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT count(*), (SELECT author FROM op WHERE node_id = ? ORDER BY seq DESC LIMIT 1) "
            "FROM op WHERE node_id = ?",
            (node_id, node_id),
        )
        .fetchone()
    )
    return (int(row[0]), str(row[1])) if row and row[0] else (0, "")


def attachment_digests(
    conn: Connection, node_id: str, after: int, upto: int, entity: str, field: str, key: str
) -> list[str]:
    """The files named by ``node_id``'s entry-creating ops in ``(after, upto]``, sorted.

    A value is canonical JSON, which never escapes a letter, so one that names a file holds
    the quoted ``key``: the substring test spares parsing every other entry's value.
    """
    rows = dbapi(conn).execute(
        "SELECT DISTINCT json_extract(value, '$.attachment.sha256') FROM op "
        "WHERE node_id = ? AND seq > ? AND seq <= ? AND entity = ? AND field = ? "
        "AND instr(value, ?) > 0 AND json_extract(value, '$.attachment.sha256') IS NOT NULL",
        (node_id, after, upto, entity, field, f'"{key}"'),
    )
    return sorted(str(row[0]) for row in rows.fetchall())
