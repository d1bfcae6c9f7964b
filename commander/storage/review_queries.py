"""Reads for the post-incident review: its sections, its meeting, what it measures.

``apply_review`` writes these tables; ``services.review`` reads them only through here.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from commander.core.ops import Field
from commander.storage.tables import deadline_event_table as deadline
from commander.storage.tables import entry_table as entry
from commander.storage.tables import op_table as op
from commander.storage.tables import review_field_table as section
from commander.storage.tables import review_schedule_table as schedule


def review_texts(conn: Connection, incident_id: str) -> dict[str, str]:
    """The written sections of an incident's review, by key (unwritten ones absent)."""
    rows = conn.execute(
        select(section.c.key, section.c.text).where(section.c.incident_id == incident_id)
    )
    return {key: text for key, text in rows}


def review_text(conn: Connection, incident_id: str, key: str) -> str:
    """One section's stored text, "" when unwritten."""
    text = conn.scalar(select(section.c.text).where(section.c.id == f"{incident_id}:{key}"))
    return str(text) if text is not None else ""


def missed_deadline_hows(conn: Connection, incident_id: str) -> list[str]:
    """What each overdue mark of the incident said, oldest first."""
    query = (
        select(deadline.c.how)
        .where(deadline.c.incident_id == incident_id, deadline.c.kind == Field.OVERDUE)
        .order_by(deadline.c.at_ms)
    )
    return list(conn.scalars(query))


def first_entry_ms(conn: Connection, incident_id: str) -> int | None:
    """When the earliest entry not struck happened, or None for an empty timeline."""
    first = conn.scalar(
        select(func.min(entry.c.occurred_at)).where(
            entry.c.incident_id == incident_id, entry.c.struck == 0
        )
    )
    return int(first) if first is not None else None


def review_meeting(conn: Connection, incident_id: str) -> tuple[int, int] | None:
    """The scheduled meeting's start (ms) and length in minutes, or None if none is set."""
    row = conn.execute(
        select(schedule.c.start_ms, schedule.c.minutes).where(schedule.c.incident_id == incident_id)
    ).first()
    if row is None or row.start_ms is None:
        return None
    return int(row.start_ms), int(row.minutes)


def register_write_count(conn: Connection, entity: str, entity_id: str, field: str) -> int:
    """How many ops ever wrote this register (every laptop's)."""
    count = conn.scalar(
        select(func.count()).where(
            op.c.entity == entity, op.c.entity_id == entity_id, op.c.field == field
        )
    )
    return int(count or 0)
