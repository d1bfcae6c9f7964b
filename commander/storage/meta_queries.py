"""The ``meta`` table by key prefix: settings several keys long (a link per incident).

Single keys are read and written with ``oplog.read_meta`` and ``oplog.write_meta``.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.storage.database import dbapi


def meta_values_with_prefix(conn: Connection, prefix: str) -> list[str]:
    """The values of every key starting with ``prefix`` (no LIKE wildcard in it), by key."""
    rows = (
        dbapi(conn)
        .execute("SELECT value FROM meta WHERE key LIKE ? ORDER BY key", (prefix + "%",))
        .fetchall()
    )
    return [row[0] for row in rows]


def delete_meta(conn: Connection, key: str) -> None:
    dbapi(conn).execute("DELETE FROM meta WHERE key = ?", (key,))
