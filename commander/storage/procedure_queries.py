"""Reads of the loaded procedure (``services.procedures``)."""

from __future__ import annotations

from sqlalchemy import Connection

from commander.storage.database import dbapi


def procedure_row(conn: Connection, key: str) -> tuple[str, int, str] | None:
    """The stored procedure register ``key``: (content JSON, updated at ms, author), or None."""
    found = (
        dbapi(conn)
        .execute("SELECT content, updated_at, author FROM procedure_def WHERE key = ?", (key,))
        .fetchone()
    )
    return None if found is None else (str(found[0]), int(found[1]), str(found[2]))
