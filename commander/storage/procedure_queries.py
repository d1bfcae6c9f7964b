"""Reads of the loaded procedure (``services.procedures``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field, register_value
from commander.storage.database import dbapi


def procedure_row(conn: Connection, key: str) -> tuple[str, int, str] | None:
    """The stored procedure register ``key``: (content JSON, updated at ms, author), or None."""
    found = (
        dbapi(conn)
        .execute("SELECT content, updated_at, author FROM procedure_def WHERE key = ?", (key,))
        .fetchone()
    )
    return None if found is None else (str(found[0]), int(found[1]), str(found[2]))


def procedure_history(conn: Connection, key: str) -> list[tuple[datetime, Any]]:
    """Every value the procedure register ``key`` held, in op-log order, with its HLC wall time.

    The file text is left out: a version's name and number are all a history needs.
    """
    rows = (
        dbapi(conn)
        .execute(
            "SELECT field, value, hlc FROM op WHERE entity = ? AND entity_id = ? "
            "ORDER BY hlc, node_id",
            (Entity.PROCEDURE, key),
        )
        .fetchall()
    )
    out: list[tuple[datetime, Any]] = []
    for field, raw, hlc in rows:
        if field != Field.CONTENT:
            continue
        value = register_value(field, json.loads(raw), field)
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "text"}
        out.append((from_ms(HlcStamp.decode(hlc).wall_ms), value))
    return out
