"""Materializing the side records of an incident: deadline events, impact samples, and the
communication templates and drafts."""

from __future__ import annotations

import json

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import (
    Entity,
    Field,
    Op,
    register_value,
)
from commander.storage.database import dbapi
from commander.storage.registers import wins

_INSERT_DEADLINE_EVENT = (
    "INSERT OR IGNORE INTO deadline_event(op_id, incident_id, key, kind, at_ms, hlc, author, how, "
    "until_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT_TEMPLATE = (
    "INSERT OR REPLACE INTO comms_template(key, name, audience, subject, body, deleted, "
    "updated_at, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT_DRAFT = (
    "INSERT OR REPLACE INTO comms_draft(id, incident_id, template_key, audience, channel, "
    "fields, discarded, updated_at, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def apply_comms(conn: Connection, op: Op) -> None:
    """A template or draft is one last-writer-wins record: the newest op's content is it."""
    if op.field != Field.CONTENT or not wins(conn, op, op.field):
        return
    value = register_value(op.field, op.value, op.field)
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    if op.entity == Entity.TEMPLATE:
        dbapi(conn).execute(
            _UPSERT_TEMPLATE,
            (
                op.entity_id,
                value["name"],
                value["audience"],
                value["subject"],
                value["body"],
                int(bool(value.get("deleted", False))),
                stamp_ms,
                op.author,
            ),
        )
    else:
        dbapi(conn).execute(
            _UPSERT_DRAFT,
            (
                op.entity_id,
                op.incident_id,
                value["template_key"],
                value["audience"],
                value["channel"],
                json.dumps(value.get("fields", {}), ensure_ascii=False, sort_keys=True),
                int(bool(value.get("discarded", False))),
                stamp_ms,
                op.author,
            ),
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
