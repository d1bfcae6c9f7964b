"""Reads of the values typed into runbook placeholders (``runbook_value``)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from commander.storage.tables import runbook_value_table as value


def saved_values(conn: Connection, incident_id: str) -> dict[str, str]:
    """placeholder name -> the value saved on this incident."""
    rows = conn.execute(
        select(value.c.name, value.c.value).where(value.c.incident_id == incident_id)
    )
    return {name: text for name, text in rows}


def recent_values_elsewhere(conn: Connection, incident_id: str) -> dict[str, list[str]]:
    """placeholder name -> values given on other incidents, newest first (the last 200)."""
    rows = conn.execute(
        select(value.c.name, value.c.value)
        .where(value.c.incident_id != incident_id)
        .order_by(value.c.updated_at.desc())
        .limit(200)
    )
    recent: dict[str, list[str]] = {}
    for name, text in rows:
        recent.setdefault(name, []).append(text)
    return recent
