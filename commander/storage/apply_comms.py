"""Materializing message templates and drafts (``comms_template``, ``comms_draft``) from ops:
each is one last-writer-wins record."""

from __future__ import annotations

import json

from sqlalchemy import Connection

from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field, Op, register_value
from commander.storage.database import dbapi
from commander.storage.registers import wins

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
