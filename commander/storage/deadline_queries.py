"""Reads of the deadline events (``deadline_event``: met, snoozed, overdue, update sent, send
failed), which ``apply_deadlines`` writes and ``services.deadlines`` turns into facts."""

from __future__ import annotations

from sqlalchemy import Connection, select

from commander.core.ops import Field
from commander.storage.tables import deadline_event_table as event

DeadlineEventRow = tuple[str, str, int, str, str, int | None]


def deadline_events(conn: Connection, incident_id: str) -> list[DeadlineEventRow]:
    """``(key, kind, at_ms, author, how, until_ms)`` of every event of an incident, in the
    order they happened."""
    e = event.c
    query = (
        select(e.key, e.kind, e.at_ms, e.author, e.how, e.until_ms)
        .where(e.incident_id == incident_id)
        .order_by(e.at_ms, e.hlc)
    )
    return [tuple(row) for row in conn.execute(query)]


def overdue_notices(conn: Connection, incident_id: str) -> set[tuple[str, int]]:
    """``(key, due in ms)`` of every overdue notice already logged for an incident."""
    e = event.c
    rows = conn.execute(
        select(e.key, e.until_ms).where(e.incident_id == incident_id, e.kind == Field.OVERDUE)
    )
    return {(key, until_ms) for key, until_ms in rows}
