"""Reads of the deadline events (``deadline_event``: met, snoozed, overdue, update sent, send
failed), which ``apply_records`` writes and ``services.deadlines`` turns into facts."""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.ops import Field
from commander.storage.database import dbapi

DeadlineEventRow = tuple[str, str, int, str, str, int | None]


def deadline_events(conn: Connection, incident_id: str) -> list[DeadlineEventRow]:
    """``(key, kind, at_ms, author, how, until_ms)`` of every event of an incident, in the
    order they happened."""
    return (
        dbapi(conn)
        .execute(
            "SELECT key, kind, at_ms, author, how, until_ms FROM deadline_event "
            "WHERE incident_id = ? ORDER BY at_ms, hlc",
            (incident_id,),
        )
        .fetchall()
    )


def overdue_notices(conn: Connection, incident_id: str) -> set[tuple[str, int]]:
    """``(key, due in ms)`` of every overdue notice already logged for an incident."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT key, until_ms FROM deadline_event WHERE incident_id = ? AND kind = ?",
            (incident_id, Field.OVERDUE),
        )
        .fetchall()
    )
    return {(key, until_ms) for key, until_ms in rows}
