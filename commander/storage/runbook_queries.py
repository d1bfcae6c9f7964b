"""Reads of the values typed into runbook placeholders (``runbook_value``)."""

from __future__ import annotations

from sqlalchemy import Connection

from commander.storage.database import dbapi


def saved_values(conn: Connection, incident_id: str) -> dict[str, str]:
    """placeholder name -> the value saved on this incident."""
    rows = dbapi(conn).execute(
        "SELECT name, value FROM runbook_value WHERE incident_id = ?", (incident_id,)
    )
    return {name: value for name, value in rows}


def recent_values_elsewhere(conn: Connection, incident_id: str) -> dict[str, list[str]]:
    """placeholder name -> values given on other incidents, newest first (the last 200)."""
    rows = dbapi(conn).execute(
        "SELECT name, value FROM runbook_value WHERE incident_id != ? "
        "ORDER BY updated_at DESC LIMIT 200",
        (incident_id,),
    )
    recent: dict[str, list[str]] = {}
    for name, value in rows:
        recent.setdefault(name, []).append(value)
    return recent
