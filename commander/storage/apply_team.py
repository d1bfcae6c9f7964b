"""Materializing the team: role assignments (append-only history, holder a register),
the people directory and custom roles (a register per field)."""

from __future__ import annotations

import json

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import (
    PERSON_REGISTERS,
    ROLE_DEF_REGISTERS,
    Field,
    Op,
)
from commander.storage.database import dbapi
from commander.storage.registers import wins

_INSERT_ROLE_ASSIGNMENT = (
    "INSERT OR IGNORE INTO role_assignment(op_id, incident_id, role, person, person_name, "
    "previous, previous_name, note, at_ms, hlc, node_id, author, base) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_PERSON = (
    "INSERT OR IGNORE INTO person(handle, name, team, email, phone, roles, removed, updated_at) "
    "VALUES (?, '', '', '', '', '[]', 0, ?)"
)
_INSERT_ROLE_DEF = (
    "INSERT OR IGNORE INTO role_def(key, name, description, removed, updated_at) "
    "VALUES (?, '', '', 0, ?)"
)
_PERSON_COLUMNS = {field: field for field in PERSON_REGISTERS}
_ROLE_DEF_COLUMNS = {field: field for field in ROLE_DEF_REGISTERS}


def apply_role(conn: Connection, op: Op) -> None:
    """Every role op is a row of the role's history; the newest also holds the register."""
    if op.field != Field.HOLDER:
        return
    value = op.value["value"]
    dbapi(conn).execute(
        _INSERT_ROLE_ASSIGNMENT,
        (
            op.op_id,
            op.incident_id,
            op.entity_id.rpartition(":")[2],
            value.get("person"),
            value.get("name") or "",
            value.get("previous"),
            value.get("previous_name") or "",
            value.get("note") or "",
            to_ms(parse_iso(value["at"])),
            op.hlc,
            op.node_id,
            op.author,
            op.value.get("base"),
        ),
    )
    wins(conn, op, Field.HOLDER)


def apply_person(conn: Connection, op: Op) -> None:
    """One column of a person, last writer wins per column; the row exists from any op."""
    if op.field not in PERSON_REGISTERS:
        return
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    dbapi(conn).execute(_INSERT_PERSON, (op.entity_id, stamp_ms))
    if not wins(conn, op, op.field):
        return
    value = op.value["value"]
    if op.field == Field.ROLES:
        value = json.dumps(list(value), ensure_ascii=False)
    elif op.field == Field.REMOVED:
        value = int(bool(value))
    column = _PERSON_COLUMNS[op.field]
    dbapi(conn).execute(
        f"UPDATE person SET {column} = ?, updated_at = MAX(updated_at, ?) WHERE handle = ?",
        (value, stamp_ms, op.entity_id),
    )


def apply_role_def(conn: Connection, op: Op) -> None:
    if op.field not in ROLE_DEF_REGISTERS:
        return
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    dbapi(conn).execute(_INSERT_ROLE_DEF, (op.entity_id, stamp_ms))
    if not wins(conn, op, op.field):
        return
    value = op.value["value"]
    if op.field == Field.REMOVED:
        value = int(bool(value))
    column = _ROLE_DEF_COLUMNS[op.field]
    dbapi(conn).execute(
        f"UPDATE role_def SET {column} = ?, updated_at = MAX(updated_at, ?) WHERE key = ?",
        (value, stamp_ms, op.entity_id),
    )
