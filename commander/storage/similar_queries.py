"""Reads that compare past incidents (``services.similar``): their early timeline text,
their alerts and labels, their review's findings and the runbook steps that were run."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection

from commander.core.checklists import step_title
from commander.core.entry_kinds import Kind
from commander.storage import search_runbook
from commander.storage.database import dbapi

AlertFeatures = dict[str, tuple[set[str], set[tuple[str, str]]]]


def people_entry_texts(conn: Connection, incident_id: str, until_ms: int, limit: int) -> str:
    """What people wrote up to ``until_ms`` (at most ``limit`` entries, "event action" a line);
    the app's own entries repeat the title and alerts, compared on their own, so they are
    left out."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT coalesce(amended_event, event), action FROM entry WHERE incident_id = ? "
            "AND struck = 0 AND kind <> ? AND occurred_at <= ? ORDER BY occurred_at, hlc "
            "LIMIT ?",
            (incident_id, Kind.SYSTEM, until_ms, limit),
        )
        .fetchall()
    )
    return "\n".join(f"{event} {action}" for event, action in rows)


def alert_features_by_incident(conn: Connection) -> AlertFeatures:
    """Per incident: the names of its linked alerts and their labels (when still cached)."""
    out: AlertFeatures = {}
    rows = dbapi(conn).execute(
        "SELECT l.incident_id, l.name, a.labels FROM alert_link AS l "
        "LEFT JOIN alert AS a ON a.fingerprint = l.fingerprint"
    )
    for incident_id, name, labels in rows:
        names, pairs = out.setdefault(incident_id, (set(), set()))
        names.add(name)
        try:
            pairs.update((str(k), str(v)) for k, v in json.loads(labels or "{}").items())
        except (ValueError, AttributeError):
            continue  # a cached alert with labels we cannot read: its name still counts
    return out


def first_review_text(conn: Connection, incident_id: str, keys: Sequence[str]) -> str:
    """The text of the first of ``keys`` the review has written (stripped), or ""."""
    db = dbapi(conn)
    for key in keys:
        row = db.execute(
            "SELECT text FROM review_field WHERE incident_id = ? AND key = ?", (incident_id, key)
        ).fetchone()
        if row and row[0].strip():
            return str(row[0]).strip()
    return ""


def entry_events_starting(conn: Connection, incident_id: str, prefix: str) -> list[tuple[int, str]]:
    """(occurred_at ms, event) of entries not struck whose event starts with ``prefix``, in
    timeline order."""
    rows = dbapi(conn).execute(
        "SELECT occurred_at, event FROM entry WHERE incident_id = ? AND struck = 0 "
        "AND event LIKE ? ORDER BY occurred_at, hlc",
        (incident_id, prefix + "%"),
    )
    return [(int(at_ms), str(event)) for at_ms, event in rows]


def runbook_steps_ticked(conn: Connection, incident_id: str) -> list[tuple[int, str]]:
    """(ticked at ms, step title) of the runbook steps ticked done on the incident's
    checklists, named as the timeline names a step that was run."""
    db = dbapi(conn)
    known = search_runbook.runbook_steps(db)
    return [
        (int(at_ms), step_title(*known[step_key]))
        for step_key, at_ms in db.execute(
            "SELECT step_key, at_ms FROM checklist_tick WHERE incident_id = ? AND done = 1",
            (incident_id,),
        )
        if step_key in known
    ]
