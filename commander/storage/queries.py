"""Reads of the materialized tables, shaped as core records.

The timeline read goes through the raw DB-API cursor: 100,000 entries must load in well
under the 0.5 s the first screen may take, and Row objects cost more than plain tuples.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from commander.core.clock import from_ms, parse_iso
from commander.core.errors import NotFoundError
from commander.core.hlc import HlcStamp
from commander.core.ops import INCIDENT_REGISTERS, Entity, Field, Op, register_value
from commander.core.policy import Phase, Severity, Status
from commander.core.records import ChangeSet, Incident, TimelineEntry
from commander.storage.database import dbapi
from commander.storage.tables import entry_table, incident_table, op_table

ENTRY_COLUMNS = (
    "id, incident_id, occurred_at, hlc, kind, event, action, owner, author, struck, "
    "strike_reason, amended_event, amended_action, attributed_to, answers, key_event"
)


def _incident(row) -> Incident:  # type: ignore[no-untyped-def]
    return Incident(
        id=row.id,
        ref=row.ref,
        title=row.title,
        severity=Severity(row.severity),
        status=Status(row.status),
        phase=Phase(row.phase),
        services=tuple(json.loads(row.services or "[]")),
        impact=row.impact,
        declared_at=from_ms(row.declared_at),
        declared_by=row.declared_by,
        updated_at=from_ms(row.updated_at),
        partners_affected=bool(row.partners_affected),
        security_related=bool(row.security_related),
    )


def list_incidents(conn: Connection) -> list[Incident]:
    """Every incident, most recently declared first."""
    rows = conn.execute(select(incident_table).order_by(incident_table.c.declared_at.desc()))
    return [_incident(row) for row in rows]


def get_incident(conn: Connection, incident_id: str) -> Incident | None:
    row = conn.execute(select(incident_table).where(incident_table.c.id == incident_id)).first()
    return _incident(row) if row else None


def match_incidents(conn: Connection, key: str) -> list[Incident]:
    """Incidents whose id or reference equals ``key`` or starts with it (case-insensitive)."""
    key = key.strip()
    exact = conn.execute(
        select(incident_table).where(
            or_(incident_table.c.id == key, func.upper(incident_table.c.ref) == key.upper())
        )
    ).all()
    if exact:
        return [_incident(row) for row in exact]
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        select(incident_table).where(
            or_(
                incident_table.c.id.like(pattern, escape="\\"),
                incident_table.c.ref.ilike(pattern, escape="\\"),
            )
        )
    ).all()
    return [_incident(row) for row in rows]


def ref_exists(conn: Connection, ref: str) -> bool:
    return (
        conn.execute(select(incident_table.c.id).where(incident_table.c.ref == ref)).first()
        is not None
    )


def timeline(
    conn: Connection,
    incident_id: str,
    *,
    last: int | None = None,
    before: tuple[int, str, str] | None = None,
) -> list[TimelineEntry]:
    """The incident's timeline in order: occurred_at, then ordering stamp, then entry id.

    The id makes the order total, so two entries with the same time and stamp (two conflict
    entries with one winner) are listed alike on every replica.

    Args:
        last: only the newest ``last`` entries: what the first screen needs, in a few ms.
        before: only entries sorting before this ``(occurred_at_ms, hlc, id)`` key: the rest,
            loaded after the first screen is painted.
    """
    sql = f"SELECT {ENTRY_COLUMNS} FROM entry WHERE incident_id = ?"
    params: list[object] = [incident_id]
    if before is not None:
        sql += " AND (occurred_at, hlc, id) < (?, ?, ?)"
        params += [before[0], before[1], before[2]]
    raw = dbapi(conn)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # 100k tuples of atoms: the collector would only slow the load down
    try:
        if last is None:
            rows = raw.execute(sql + " ORDER BY occurred_at, hlc, id", params).fetchall()
        else:
            sql += " ORDER BY occurred_at DESC, hlc DESC, id DESC LIMIT ?"
            rows = raw.execute(sql, [*params, last]).fetchall()
            rows.reverse()
        return list(map(TimelineEntry._make, rows))
    finally:
        if gc_was_enabled:
            gc.enable()


def entries(conn: Connection, entry_ids: list[str]) -> list[TimelineEntry]:
    result: list[TimelineEntry] = []
    raw = dbapi(conn)
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = raw.execute(f"SELECT {ENTRY_COLUMNS} FROM entry WHERE id IN ({marks})", chunk)
        result.extend(TimelineEntry._make(row) for row in rows)
    return result


def entry(conn: Connection, entry_id: str) -> TimelineEntry | None:
    found = entries(conn, [entry_id])
    return found[0] if found else None


def count_entries(conn: Connection, incident_id: str) -> int:
    return conn.execute(
        select(func.count())
        .select_from(entry_table)
        .where(entry_table.c.incident_id == incident_id)
    ).scalar_one()


def last_seq(conn: Connection) -> int:
    return conn.execute(select(func.coalesce(func.max(op_table.c.seq), 0))).scalar_one()


def changes_since(conn: Connection, seq: int, skip: Collection[int] = ()) -> ChangeSet:
    """What ops after ``seq`` touched: how a view learns of writes by other processes.

    Runs every second and after every action, so it reads through the DB-API directly.
    ``skip``: ops the caller already applied (its own writes); ``last_seq`` still passes them.
    """
    changes = ChangeSet(last_seq=seq)
    rows = dbapi(conn).execute(
        "SELECT seq, incident_id, entity, entity_id FROM op WHERE seq > ? ORDER BY seq", (seq,)
    )
    for row_seq, incident_id, entity, entity_id in rows:
        if (
            entity != Entity.NODE and row_seq not in skip
        ):  # a node introducing its key changes nothing a view shows
            changes.add(incident_id, entity, entity_id)
        changes.last_seq = row_seq
    return changes


def count_incidents_with_status_other_than(conn: Connection, statuses: Collection[str]) -> int:
    """How many incidents are in none of ``statuses`` (e.g. not resolved nor closed)."""
    query = (
        select(func.count())
        .select_from(incident_table)
        .where(incident_table.c.status.not_in(list(statuses)))
    )
    return int(conn.execute(query).scalar_one())


def incident_exists(conn: Connection, incident_id: str) -> bool:
    row = dbapi(conn).execute("SELECT 1 FROM incident WHERE id = ?", (incident_id,)).fetchone()
    return row is not None


def require_incident(conn: Connection, incident_id: str) -> None:
    """Refuse a write to an incident this workspace does not have."""
    if not incident_exists(conn, incident_id):
        raise NotFoundError(f"No incident with id {incident_id}.")


def ops_in_chain_order(conn: Connection) -> Iterator[Op]:
    """Every op, in the order each node wrote it (local seq preserves it per node)."""
    for row in conn.execute(select(op_table).order_by(op_table.c.seq)):
        yield op_from_row(row)


def op_from_row(row: Any, value: Any = None) -> Op:
    """An ``op`` table row (a SQLAlchemy row) as the ``Op`` it stores; ``value`` replaces the
    stored JSON when the caller has already read it."""
    return Op(
        op_id=row.op_id,
        node_id=row.node_id,
        hlc=row.hlc,
        incident_id=row.incident_id,
        entity=row.entity,
        entity_id=row.entity_id,
        field=row.field,
        value=json.loads(row.value) if value is None else value,
        author=row.author,
        schema_version=row.schema_version,
        prev_hash=row.prev_hash,
        hash=row.hash,
        signature=row.signature,
    )


def count_ops(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(op_table)).scalar_one()


@dataclass(frozen=True)
class RegisterHistory:
    """An incident's record over time: the create op's values, then every change in order."""

    declared_at: datetime
    initial: dict[str, Any]
    changes: list[tuple[str, datetime, Any]]  # (field, when, new value), oldest first

    def of(self, field: str) -> list[tuple[datetime, Any]]:
        """``(when, value)`` for one field, starting with its value at declaration."""
        start = [(self.declared_at, self.initial[field])] if field in self.initial else []
        return start + self.changes_of(field)

    def changes_of(self, field: str) -> list[tuple[datetime, Any]]:
        """``(when, value)`` for each later change of one field."""
        return [(when, value) for name, when, value in self.changes if name == field]


def register_history(conn: Connection, incident_id: str) -> RegisterHistory | None:
    """Every change of the incident's register fields, from the op log (None if unknown).

    A change's time is its HLC wall time: when it was made, as the writer's clock saw it.
    """
    rows = (
        dbapi(conn)
        .execute(
            "SELECT field, value, hlc FROM op WHERE entity = ? AND entity_id = ? "
            "ORDER BY hlc, node_id",
            (Entity.INCIDENT, incident_id),
        )
        .fetchall()
    )
    if not rows or rows[0][0] != Field.CREATE:
        return None
    initial = json.loads(rows[0][1])
    declared_at = parse_iso(initial["declared_at"])
    changes = []
    for field, raw, hlc in rows[1:]:
        if field in INCIDENT_REGISTERS:
            value = register_value(field, json.loads(raw), field)
            changes.append((field, from_ms(HlcStamp.decode(hlc).wall_ms), value))
    return RegisterHistory(declared_at, initial, changes)
