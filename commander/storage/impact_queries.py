"""Reads of the impact samples (``impact_sample``, written by ``apply_records``).

Rows come back as plain tuples in the order each function names; ``services.impact`` turns
them into samples and series.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.storage.database import dbapi


def sample_incident_id(conn: Connection, sample_id: str) -> str | None:
    """The incident a sample belongs to, or None if there is no such sample."""
    row = (
        dbapi(conn)
        .execute("SELECT incident_id FROM impact_sample WHERE id = ?", (sample_id,))
        .fetchone()
    )
    return str(row[0]) if row else None


def live_samples(conn: Connection, incident_id: str) -> list[tuple[str, str, int, float, str]]:
    """``(id, metric, at_ms, value, author)`` of every sample not struck, by metric, time."""
    return (
        dbapi(conn)
        .execute(
            "SELECT id, metric, at_ms, value, author FROM impact_sample "
            "WHERE incident_id = ? AND struck = 0 ORDER BY metric, at_ms, hlc",
            (incident_id,),
        )
        .fetchall()
    )


def live_sample_counts(conn: Connection, incident_id: str) -> dict[str, int]:
    """How many samples each metric has, struck ones left out: one aggregate."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT metric, COUNT(*) FROM impact_sample "
            "WHERE incident_id = ? AND struck = 0 GROUP BY metric",
            (incident_id,),
        )
        .fetchall()
    )
    return {str(m): int(n) for m, n in rows}


def live_samples_after(
    conn: Connection, incident_id: str, after: int
) -> list[tuple[int, str, int, float]]:
    """``(rowid, metric, at_ms, value)`` of samples not struck stored after row ``after``,
    in arrival order."""
    return (
        dbapi(conn)
        .execute(
            "SELECT rowid, metric, at_ms, value FROM impact_sample "
            "WHERE incident_id = ? AND struck = 0 AND rowid > ? ORDER BY rowid",
            (incident_id, after),
        )
        .fetchall()
    )


def last_sample_row(conn: Connection, incident_id: str) -> int:
    """The newest sample's row number (struck ones included), 0 when there is none."""
    row = (
        dbapi(conn)
        .execute("SELECT MAX(rowid) FROM impact_sample WHERE incident_id = ?", (incident_id,))
        .fetchone()
    )
    return int(row[0] or 0)
