"""The ``meta`` table by key prefix: settings several keys long (a link per incident).

Single keys are read and written with ``oplog.read_meta`` and ``oplog.write_meta``.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select

from commander.storage.tables import meta_table as meta


def meta_values_with_prefix(conn: Connection, prefix: str) -> list[str]:
    """The values of every key starting with ``prefix``, by key (compared as text: SQLite's
    LIKE would ignore case and read ``_`` and ``%`` in the prefix as wildcards)."""
    starts = func.substr(meta.c.key, 1, len(prefix)) == prefix
    query = select(meta.c.value).where(starts).order_by(meta.c.key)
    return list(conn.scalars(query))


def delete_meta(conn: Connection, key: str) -> None:
    conn.execute(delete(meta).where(meta.c.key == key))
