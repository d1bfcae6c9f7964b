"""Materializing the post-incident review: section text, the meeting, and action items.

Every review field and every action-item field is its own last-writer-wins register, so two
people editing different sections (or one changing an item's status while another moves its due
date) both keep their change; the same field edited twice keeps the newer edit.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Field, Op
from commander.core.review import ACTION_ITEM_REGISTERS, REVIEW_LABELS, REVIEW_SCHEDULE
from commander.storage.database import dbapi
from commander.storage.registers import wins

_UPSERT_FIELD = (
    "INSERT INTO review_field(id, incident_id, key, text, updated_at, author) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, "
    "updated_at = excluded.updated_at, author = excluded.author"
)
_UPSERT_SCHEDULE = (
    "INSERT INTO review_schedule(incident_id, start_ms, minutes, updated_at, author) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(incident_id) DO UPDATE SET start_ms = excluded.start_ms, "
    "minutes = excluded.minutes, updated_at = excluded.updated_at, author = excluded.author"
)
_INSERT_ITEM = (
    "INSERT OR IGNORE INTO action_item(id, incident_id, title, owner, term, due, status, "
    "tracker_url, entry_id, created_at, updated_at) "
    "VALUES (?, ?, '', '', 'short', '', 'open', '', NULL, ?, ?)"
)
_ITEM_COLUMNS = {field: field for field in ACTION_ITEM_REGISTERS}  # names are not user input


def apply_review(conn: Connection, op: Op) -> None:
    """A section's text or the meeting time; an older op than the holder changes nothing."""
    if op.field not in REVIEW_LABELS and op.field != REVIEW_SCHEDULE:
        return
    if not wins(conn, op, op.field):
        return
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    value = op.value["value"]
    if op.field == REVIEW_SCHEDULE:
        start = value.get("start")
        dbapi(conn).execute(
            _UPSERT_SCHEDULE,
            (
                op.incident_id,
                to_ms(parse_iso(start)) if start else None,
                int(value.get("minutes") or 60),
                stamp_ms,
                op.author,
            ),
        )
        return
    dbapi(conn).execute(
        _UPSERT_FIELD,
        (f"{op.incident_id}:{op.field}", op.incident_id, op.field, value, stamp_ms, op.author),
    )


def apply_action_item(conn: Connection, op: Op) -> None:
    """The row exists from any op (sync may deliver a change before the create); each field
    takes the newest op that set it, the create included."""
    if op.field != Field.CREATE and op.field not in ACTION_ITEM_REGISTERS:
        return
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    db = dbapi(conn)
    db.execute(_INSERT_ITEM, (op.entity_id, op.incident_id, stamp_ms, stamp_ms))
    if op.field == Field.CREATE:
        value = op.value
        db.execute(
            "UPDATE action_item SET entry_id = ?, created_at = ? WHERE id = ?",
            (value.get("entry_id"), to_ms(parse_iso(value["created_at"])), op.entity_id),
        )
        changes = [(f, value[f]) for f in ACTION_ITEM_REGISTERS if f in value]
    else:
        changes = [(op.field, op.value["value"])]
    for field, new in changes:
        if wins(conn, op, field):
            db.execute(
                f"UPDATE action_item SET {_ITEM_COLUMNS[field]} = ?, "
                "updated_at = MAX(updated_at, ?) WHERE id = ?",
                (new, stamp_ms, op.entity_id),
            )
