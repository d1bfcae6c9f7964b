"""Concurrent edits of one field, surfaced on the timeline instead of silently dropped.

Two register changes of the same field from different nodes with the same ``base`` were made
without seeing each other. Last-writer-wins still picks the value; this module adds one
timeline entry per such pair ("Severity set to P0 by bob, concurrently with P1 by alice",
winner first). The entry is derived, not an op: ``oplog.apply`` calls ``note_siblings`` for
every register change, so a replay of the log (``commander verify``) makes the same entries.
Its id is a uuid5 of the two op ids and its text depends only on the two ops, so every
replica makes the same entry whatever order the ops arrived in.

``op_stamp`` caches the ordering stamp of ops whose own node adopted a lower one (a clock that
ran ahead; see ``ordering``); every other op orders by its own ``hlc``.

Raw DB-API, not Core: ``oplog.apply`` runs it for every register change
(``benchmarks/sync.py``: append p99, pull ops/s).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import Column, Connection, String, Table

from commander.core.hlc import HlcStamp
from commander.core.ops import INCIDENT_REGISTERS, SCHEMA_VERSION, Entity, Field, Op
from commander.core.policy import Phase, Status
from commander.storage.database import dbapi
from commander.storage.tables import metadata

KIND_CONFLICT = "conflict"
CONFLICT_AUTHOR = "sync"
_NAMESPACE = uuid.UUID("6f1c2f0e-5b7a-4c1e-9a57-3a5b5b000001")

op_stamp_table = Table(
    "op_stamp",
    metadata,
    Column("op_id", String, primary_key=True),
    Column("hlc", String, nullable=False),
)

_LABELS = {
    Field.TITLE: "Title",
    Field.SEVERITY: "Severity",
    Field.STATUS: "Status",
    Field.PHASE: "Phase",
    Field.IMPACT: "Customer impact",
    Field.SERVICES: "Services",
}

_SIBLINGS = (
    "SELECT op.op_id, op.node_id, COALESCE(s.hlc, op.hlc), op.value, op.author FROM op "
    "LEFT JOIN op_stamp s ON s.op_id = op.op_id "
    "WHERE op.entity_id = ? AND op.field = ? AND op.entity = ? AND op.node_id <> ? "
    "AND op.schema_version <= ? AND json_extract(op.value, '$.base') IS ?"
)
_UPSERT_ENTRY = (
    "INSERT INTO entry(id, incident_id, occurred_at, hlc, node_id, kind, event, action, owner, "
    "author, struck, strike_reason, amended_event, amended_action) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, '', '', ?, 0, '', NULL, NULL) "
    "ON CONFLICT(id) DO UPDATE SET occurred_at = excluded.occurred_at, hlc = excluded.hlc, "
    "node_id = excluded.node_id, event = excluded.event"
)
_ENTRY_HOLDERS = (
    "SELECT register.field, op.value FROM register JOIN op ON op.op_id = register.op_id "
    "WHERE register.entity = 'entry' AND register.entity_id = ?"
)


def is_register_change(op: Op) -> bool:
    return (
        op.entity == Entity.INCIDENT
        and op.field in INCIDENT_REGISTERS
        and isinstance(op.value, dict)
        and "base" in op.value
    )


def conflict_id(op_a: str, op_b: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(sorted((op_a, op_b)))))


def note_siblings(conn: Connection, op: Op) -> list[str]:
    """Materialize a conflict entry for each concurrent sibling of ``op``; their ids.

    ``op.hlc`` is the op's ordering stamp (effective, when the server clamped it).
    """
    if not is_register_change(op):
        return []
    raw = dbapi(conn)
    rows = raw.execute(
        _SIBLINGS,
        (op.entity_id, op.field, op.entity, op.node_id, SCHEMA_VERSION, op.value.get("base")),
    ).fetchall()
    made = []
    mine = (op.hlc, op.node_id, op.value.get("value"), op.author)
    for other_id, node_id, hlc, value, author in rows:
        theirs = (hlc, node_id, _value_of(value), author)
        winner, loser = (mine, theirs) if mine[:2] > theirs[:2] else (theirs, mine)
        entry_id = conflict_id(op.op_id, other_id)
        label = _LABELS.get(op.field, op.field.capitalize())
        event = (
            f"{label} set to {_shown(op.field, winner[2])} by {winner[3]}, concurrently with "
            f"{_shown(op.field, loser[2])} by {loser[3]}"
        )
        raw.execute(
            _UPSERT_ENTRY,
            (
                entry_id,
                op.incident_id,
                HlcStamp.decode(winner[0]).wall_ms,
                winner[0],
                winner[1],
                KIND_CONFLICT,
                event,
                CONFLICT_AUTHOR,
            ),
        )
        _apply_entry_holders(conn, entry_id)
        made.append(entry_id)
    return made


def _apply_entry_holders(conn: Connection, entry_id: str) -> None:
    """A strike or amendment of a conflict entry that arrived before the entry existed."""
    raw = dbapi(conn)
    for field, value_text in raw.execute(_ENTRY_HOLDERS, (entry_id,)).fetchall():
        value = json.loads(value_text)
        if field == Field.STRIKE:
            raw.execute(
                "UPDATE entry SET struck = 1, strike_reason = ? WHERE id = ?",
                (value.get("reason", ""), entry_id),
            )
        elif field == Field.AMEND:
            raw.execute(
                "UPDATE entry SET amended_event = ?, amended_action = ? WHERE id = ?",
                (value.get("event"), value.get("action"), entry_id),
            )


def _value_of(value_text: str) -> Any:
    try:
        return json.loads(value_text).get("value")
    except (ValueError, AttributeError):
        return None


def _shown(field: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    text = str(value) if value not in (None, "") else "—"
    try:
        if field == Field.STATUS:
            return Status(text).label
        if field == Field.PHASE:
            return Phase(text).label
    except ValueError:
        pass
    return text
