"""The ``meta`` table by key prefix: settings several keys long (a link per incident).

Single keys are read and written with ``oplog.read_meta`` and ``oplog.write_meta``.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from commander.storage.tables import meta_table as meta


def meta_values_with_prefix(conn: Connection, prefix: str) -> list[str]:
    """The values of every key starting with ``prefix`` (no LIKE wildcard in it), by key."""
    query = select(meta.c.value).where(meta.c.key.like(prefix + "%")).order_by(meta.c.key)
    return list(conn.scalars(query))


def delete_meta(conn: Connection, key: str) -> None:
    conn.execute(delete(meta).where(meta.c.key == key))
