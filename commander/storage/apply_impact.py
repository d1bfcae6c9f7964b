"""Materializing impact samples (``impact_sample``) from ops, and their strikes."""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.ops import Entity, Field, Op
from commander.storage.database import dbapi
from commander.storage.registers import wins


def apply_impact(conn: Connection, op: Op) -> None:
    """Samples are append-only facts; a strike (any order, any number of times) hides one."""
    db = dbapi(conn)
    if op.field == Field.SAMPLE:
        value = op.value
        struck = db.execute(
            "SELECT 1 FROM register WHERE entity = ? AND entity_id = ? AND field = ?",
            (Entity.IMPACT, op.entity_id, Field.STRIKE),
        ).fetchone()
        db.execute(
            "INSERT OR IGNORE INTO impact_sample(id, incident_id, metric, at_ms, value, hlc, "
            "author, struck) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                op.entity_id,
                op.incident_id,
                value["metric"],
                to_ms(parse_iso(value["at"])),
                float(value["value"]),
                op.hlc,
                op.author,
                1 if struck else 0,
            ),
        )
    elif op.field == Field.STRIKE and wins(conn, op, Field.STRIKE):
        db.execute("UPDATE impact_sample SET struck = 1 WHERE id = ?", (op.entity_id,))
