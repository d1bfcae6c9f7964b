"""Reads for the post-incident review: its sections, its meeting, what it measures.

``apply_review`` writes these tables; ``services.review`` reads them only through here.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.ops import Field
from commander.storage.database import dbapi


def review_texts(conn: Connection, incident_id: str) -> dict[str, str]:
    """The written sections of an incident's review, by key (unwritten ones absent)."""
    rows = (
        dbapi(conn)
        .execute("SELECT key, text FROM review_field WHERE incident_id = ?", (incident_id,))
        .fetchall()
    )
    return dict(rows)


def review_text(conn: Connection, incident_id: str, key: str) -> str:
    """One section's stored text, "" when unwritten."""
    row = (
        dbapi(conn)
        .execute("SELECT text FROM review_field WHERE id = ?", (f"{incident_id}:{key}",))
        .fetchone()
    )
    return str(row[0]) if row else ""


def missed_deadline_hows(conn: Connection, incident_id: str) -> list[str]:
    """What each overdue mark of the incident said, oldest first."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT how FROM deadline_event WHERE incident_id = ? AND kind = ? ORDER BY at_ms",
            (incident_id, Field.OVERDUE),
        )
        .fetchall()
    )
    return [how for (how,) in rows]


def first_entry_ms(conn: Connection, incident_id: str) -> int | None:
    """When the earliest entry not struck happened, or None for an empty timeline."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT MIN(occurred_at) FROM entry WHERE incident_id = ? AND struck = 0",
            (incident_id,),
        )
        .fetchone()
    )
    return int(row[0]) if row and row[0] is not None else None


def review_meeting(conn: Connection, incident_id: str) -> tuple[int, int] | None:
    """The scheduled meeting's start (ms) and length in minutes, or None if none is set."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT start_ms, minutes FROM review_schedule WHERE incident_id = ?",
            (incident_id,),
        )
        .fetchone()
    )
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def register_write_count(conn: Connection, entity: str, entity_id: str, field: str) -> int:
    """How many ops ever wrote this register (every laptop's)."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT COUNT(*) FROM op WHERE entity = ? AND entity_id = ? AND field = ?",
            (entity, entity_id, field),
        )
        .fetchone()
    )
    return int(row[0])
