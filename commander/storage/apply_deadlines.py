"""Materializing deadline events (met, snoozed, sent, failed: ``deadline_event``) from ops."""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.ops import Op
from commander.storage.database import dbapi

_INSERT_DEADLINE_EVENT = (
    "INSERT OR IGNORE INTO deadline_event(op_id, incident_id, key, kind, at_ms, hlc, author, how, "
    "until_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def apply_deadline_event(conn: Connection, op: Op) -> None:
    """Deadline events are facts with their own time (``at``), kept side by side, never LWW."""
    value = op.value
    until = value.get("until")
    dbapi(conn).execute(
        _INSERT_DEADLINE_EVENT,
        (
            op.op_id,
            op.incident_id,
            op.entity_id,
            op.field,
            to_ms(parse_iso(value["at"])),
            op.hlc,
            op.author,
            value.get("how") or value.get("reason") or "",
            to_ms(parse_iso(until)) if until else None,
        ),
    )
