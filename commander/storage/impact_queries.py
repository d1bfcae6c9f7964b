"""Reads of the impact samples (``impact_sample``, written by ``apply_impact``).

Rows come back as plain tuples in the order each function names; ``services.impact`` turns
them into samples and series.
"""

from __future__ import annotations

from sqlalchemy import Connection, Integer, func, literal_column, select

from commander.storage.tables import impact_sample_table as sample

# SQLite's row number: the order samples arrived in (``id`` is a random text key).
_rowid = literal_column("impact_sample.rowid", Integer)


def sample_incident_id(conn: Connection, sample_id: str) -> str | None:
    """The incident a sample belongs to, or None if there is no such sample."""
    found = conn.scalar(select(sample.c.incident_id).where(sample.c.id == sample_id))
    return str(found) if found is not None else None


def live_samples(conn: Connection, incident_id: str) -> list[tuple[str, str, int, float, str]]:
    """``(id, metric, at_ms, value, author)`` of every sample not struck, by metric, time."""
    s = sample.c
    query = (
        select(s.id, s.metric, s.at_ms, s.value, s.author)
        .where(s.incident_id == incident_id, s.struck == 0)
        .order_by(s.metric, s.at_ms, s.hlc)
    )
    return [tuple(row) for row in conn.execute(query)]


def live_sample_counts(conn: Connection, incident_id: str) -> dict[str, int]:
    """How many samples each metric has, struck ones left out: one aggregate."""
    s = sample.c
    rows = conn.execute(
        select(s.metric, func.count())
        .where(s.incident_id == incident_id, s.struck == 0)
        .group_by(s.metric)
    )
    return {str(m): int(n) for m, n in rows}


def live_samples_after(
    conn: Connection, incident_id: str, after: int
) -> list[tuple[int, str, int, float]]:
    """``(rowid, metric, at_ms, value)`` of samples not struck stored after row ``after``,
    in arrival order."""
    s = sample.c
    query = (
        select(_rowid, s.metric, s.at_ms, s.value)
        .where(s.incident_id == incident_id, s.struck == 0, _rowid > after)
        .order_by(_rowid)
    )
    return [tuple(row) for row in conn.execute(query)]


def last_sample_row(conn: Connection, incident_id: str) -> int:
    """The newest sample's row number (struck ones included), 0 when there is none."""
    newest = conn.scalar(
        select(func.max(_rowid)).select_from(sample).where(sample.c.incident_id == incident_id)
    )
    return int(newest or 0)
