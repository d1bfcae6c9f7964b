"""The search's statements on the full-text index (``search_fts`` over ``search_doc``, which
``search_index`` keeps up to date).

Matches come back newest first (the index's row order: FTS5 walks it without ranking every
match), each with its incident's heading, so the caller groups them without another read.

Raw DB-API, not Core: FTS5's ``MATCH``, ``highlight`` and ``snippet`` work on a virtual table
no ``Table`` describes, and each keystroke runs this (``benchmarks/search.py``: <= 50 ms at 1M).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from commander.core.errors import ValidationError
from commander.core.search_text import MARK_END, MARK_START
from commander.storage.database import dbapi

SNIPPET_TOKENS = 64  # trigram tokens: about as many characters
WHOLE_TEXT = 300  # shorter texts are shown whole, longer ones as a snippet around the match

_SELECT = (
    "SELECT d.kind, d.key, d.incident_id, d.at_ms, "
    f"CASE WHEN length(d.body) <= {WHOLE_TEXT} "
    f"THEN highlight(search_fts, 0, '{MARK_START}', '{MARK_END}') "
    f"ELSE snippet(search_fts, 0, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS}) END, "
    "i.ref, i.title, i.severity, i.status, i.declared_at "
    "FROM search_fts JOIN search_doc AS d ON d.id = search_fts.rowid "
    "JOIN incident AS i ON i.id = d.incident_id "
    "WHERE search_fts MATCH ?"
)


def search_hit_rows(
    conn: Connection,
    expression: str,
    *,
    severities: Sequence[str] = (),
    statuses: Sequence[str] = (),
    service: str = "",
    since_ms: int | None = None,
    until_ms: int | None = None,
    limit: int,
) -> list[Any]:
    """Up to ``limit`` matches of the FTS ``expression``, newest first, as
    ``(kind, key, incident_id, at_ms, marked text, ref, title, severity, status, declared_at)``.

    Raises:
        ValidationError: the index refused the expression.
    """
    where, args = _where(severities, statuses, service, since_ms, until_ms)
    sql = f"{_SELECT}{where} ORDER BY search_fts.rowid DESC LIMIT ?"
    try:
        return dbapi(conn).execute(sql, [expression, *args, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        raise ValidationError(f"The search could not be run ({exc}).") from exc


def matching_kind_keys(conn: Connection, expression: str) -> set[tuple[str, str]]:
    """Every (kind, key) matching the FTS ``expression``, unlimited."""
    rows = dbapi(conn).execute(
        "SELECT d.kind, d.key FROM search_fts JOIN search_doc AS d "
        "ON d.id = search_fts.rowid WHERE search_fts MATCH ?",
        (expression,),
    )
    return {(str(kind), str(key)) for kind, key in rows}


def _where(
    severities: Sequence[str],
    statuses: Sequence[str],
    service: str,
    since_ms: int | None,
    until_ms: int | None,
) -> tuple[str, list[Any]]:
    sql: list[str] = []
    args: list[Any] = []
    if severities:
        sql.append(f"i.severity IN ({', '.join('?' * len(severities))})")
        args += severities
    if statuses:
        sql.append(f"i.status IN ({', '.join('?' * len(statuses))})")
        args += statuses
    if service.strip():
        sql.append("EXISTS (SELECT 1 FROM json_each(i.services) WHERE value = ? COLLATE NOCASE)")
        args.append(service.strip())
    if since_ms is not None:
        sql.append("i.declared_at >= ?")
        args.append(since_ms)
    if until_ms is not None:
        sql.append("i.declared_at < ?")
        args.append(until_ms)
    return "".join(f" AND {part}" for part in sql), args
