"""Writing what was salvaged from a damaged workspace into a fresh one, row by row as it was.

``integrity`` reads the damaged file; ``services.recovery`` decides which ops are sound.

Raw DB-API, not Core: it copies tables and columns of a damaged file that no ``Table``
describes (``PRAGMA table_info``); correctness, not speed.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Connection

from commander.storage.database import dbapi
from commander.storage.integrity import SalvagedTable


def insert_salvaged_ops(conn: Connection, table: SalvagedTable, keep: set[str]) -> None:
    """The kept ops' rows as they were (their ``seq`` and any column this code does not
    know, such as a signature), so sync's cursors and acknowledgements still line up."""
    raw = dbapi(conn)
    columns = _common_columns(raw, "op", table.columns)
    op_id = table.columns.index("op_id")
    picks = [table.columns.index(c) for c in columns]
    sql = _insert_sql("op", columns, "OR IGNORE")
    raw.executemany(sql, ([row[i] for i in picks] for row in table.rows if row[op_id] in keep))


def copy_salvaged_rows(conn: Connection, table: SalvagedTable) -> int:
    """Every salvaged row of ``table`` in the columns both versions know; how many."""
    raw = dbapi(conn)
    columns = _common_columns(raw, table.name, table.columns)
    if not columns:
        return 0  # a table this version does not have
    picks = [table.columns.index(c) for c in columns]
    raw.executemany(
        _insert_sql(table.name, columns, "OR REPLACE"),
        ([row[i] for i in picks] for row in table.rows),
    )
    return len(table.rows)


def _common_columns(raw: sqlite3.Connection, table: str, columns: list[str]) -> list[str]:
    quoted = '"' + table.replace('"', '""') + '"'
    have = {str(row[1]) for row in raw.execute(f"PRAGMA table_info({quoted})")}
    return [c for c in columns if c in have]


def _insert_sql(table: str, columns: list[str], conflict: str) -> str:
    names = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    return f'INSERT {conflict} INTO "{table}" ({names}) VALUES ({marks})'
