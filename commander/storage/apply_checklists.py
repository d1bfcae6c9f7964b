"""Materializing checklists: edited checklists, ticks and runbook values, all last writer wins;
and the workspace's procedure file, the same kind of workspace-wide register.

Each is a register, so ops may arrive in any order (sync) and every replica ends with the
newest value; an untick is just a newer ``done: false``.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field, Op, canonical_json, register_value
from commander.storage.database import dbapi
from commander.storage.registers import wins

ENTITIES = (Entity.CHECKLIST, Entity.CHECK, Entity.RUNBOOK_VALUE)

_UPSERT_DEF = (
    "INSERT OR REPLACE INTO checklist_def(key, content, updated_at, author) VALUES (?, ?, ?, ?)"
)
_UPSERT_TICK = (
    "INSERT OR REPLACE INTO checklist_tick(incident_id, step_key, done, at_ms, author) "
    "VALUES (?, ?, ?, ?, ?)"
)
_UPSERT_VALUE = (
    "INSERT OR REPLACE INTO runbook_value(incident_id, name, value, updated_at, author) "
    "VALUES (?, ?, ?, ?, ?)"
)
_FIELDS = {
    Entity.CHECKLIST: Field.CONTENT,
    Entity.CHECK: Field.DONE,
    Entity.RUNBOOK_VALUE: Field.VALUE,
}


_UPSERT_PROCEDURE = (
    "INSERT OR REPLACE INTO procedure_def(key, content, updated_at, author) VALUES (?, ?, ?, ?)"
)


def apply_procedure(conn: Connection, op: Op) -> None:
    """The workspace's procedure file: a register like an edited checklist, kept verbatim."""
    if op.field != Field.CONTENT or not wins(conn, op, Field.CONTENT):
        return
    value = register_value(op.field, op.value, Field.CONTENT)
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    row = (op.entity_id, canonical_json(value), stamp_ms, op.author)
    dbapi(conn).execute(_UPSERT_PROCEDURE, row)


def apply(conn: Connection, op: Op) -> None:
    field = _FIELDS[op.entity]
    if op.field != field or not wins(conn, op, field):
        return
    value = register_value(op.field, op.value, field)
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    db = dbapi(conn)
    if op.entity == Entity.CHECKLIST:
        db.execute(_UPSERT_DEF, (op.entity_id, canonical_json(value), stamp_ms, op.author))
        return
    _, _, key = op.entity_id.partition(":")  # f"{incident_id}:{key}"
    if op.entity == Entity.CHECK:
        db.execute(_UPSERT_TICK, (op.incident_id, key, int(bool(value)), stamp_ms, op.author))
    else:
        db.execute(_UPSERT_VALUE, (op.incident_id, key, str(value), stamp_ms, op.author))
