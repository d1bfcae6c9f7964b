"""An incident's type and custom fields, read from the op log (no table of their own).

Each is a register: entity ``incident_field``, id ``<incident>:<key>``, field ``value``. Read
in HLC order, the last writer wins on every replica alike, and every earlier value stays, so
the deadline engine sees each value from when it was set.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from commander.core.clock import from_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field
from commander.storage.tables import op_table

ENTITY = Entity.INCIDENT_FIELD
FIELD = Field.VALUE  # a register change: {"value": v, "base": None}


def incident_fields(conn: Connection, incident_id: str) -> list[tuple[datetime, str, Any]]:
    """``(when, key, value)`` of every change of the incident's type and fields, in order."""
    o = op_table.c
    rows = conn.execute(
        select(o.entity_id, o.value, o.hlc)
        .where(o.incident_id == incident_id, o.entity == ENTITY, o.field == FIELD)
        .order_by(o.hlc, o.node_id)
    ).all()
    out = []
    for entity_id, raw, hlc in rows:
        key = str(entity_id).split(":", 1)[-1]
        out.append((from_ms(HlcStamp.decode(hlc).wall_ms), key, json.loads(raw)["value"]))
    return out


def current_values(changes: list[tuple[datetime, str, Any]]) -> dict[str, Any]:
    """The latest value of each key (an emptied field is None)."""
    return {key: value for _, key, value in changes}
