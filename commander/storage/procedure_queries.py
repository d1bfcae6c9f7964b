"""Reads of the loaded procedure (``services.procedures``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from commander.core.clock import from_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field, register_value
from commander.storage.tables import op_table
from commander.storage.tables_procedure import procedure_def_table


def procedure_row(conn: Connection, key: str) -> tuple[str, int, str] | None:
    """The stored procedure register ``key``: (content JSON, updated at ms, author), or None."""
    t = procedure_def_table.c
    found = conn.execute(select(t.content, t.updated_at, t.author).where(t.key == key)).first()
    return None if found is None else (str(found[0]), int(found[1]), str(found[2]))


def procedure_history(conn: Connection, key: str) -> list[tuple[datetime, Any]]:
    """Every value the procedure register ``key`` held, in op-log order, with its HLC wall time.

    The file text is left out: a version's name and number are all a history needs.
    """
    o = op_table.c
    rows = conn.execute(
        select(o.field, o.value, o.hlc)
        .where(o.entity == Entity.PROCEDURE, o.entity_id == key)
        .order_by(o.hlc, o.node_id)
    ).all()
    out: list[tuple[datetime, Any]] = []
    for field, raw, hlc in rows:
        if field != Field.CONTENT:
            continue
        value = register_value(field, json.loads(raw), field)
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "text"}
        out.append((from_ms(HlcStamp.decode(hlc).wall_ms), value))
    return out
