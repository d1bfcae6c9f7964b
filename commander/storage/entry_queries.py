"""Reads of the timeline by what entries are: open questions, answers, key events.

Kept apart from ``queries`` (the hot timeline load) so those reads stay as they are.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.records import TimelineEntry
from commander.storage.database import dbapi
from commander.storage.queries import ENTRY_COLUMNS

# A question is open while no answer that is not struck links to it. An answer that arrived
# by sync before its question still closes it: the link is a query, not a stored flag.
# ``answers <> ''`` lets SQLite use the partial index (only answers are in it, so the other
# entries' inserts, a pull's bulk, skip it).
_OPEN_QUESTIONS = (
    f"SELECT {ENTRY_COLUMNS} FROM entry AS q WHERE q.incident_id = ? AND q.kind = 'question' "
    "AND q.struck = 0 AND NOT EXISTS (SELECT 1 FROM entry AS a WHERE a.answers = q.id "
    "AND a.answers <> '' AND a.struck = 0) ORDER BY q.occurred_at, q.hlc, q.id"
)
_ANSWERS = (
    f"SELECT {ENTRY_COLUMNS} FROM entry WHERE answers = ? AND answers <> '' "
    "AND struck = 0 "
    "ORDER BY occurred_at, hlc, id"
)
_KEY_EVENTS = (
    f"SELECT {ENTRY_COLUMNS} FROM entry WHERE incident_id = ? AND key_event = 1 "
    "ORDER BY occurred_at, hlc, id"
)


def open_questions(conn: Connection, incident_id: str) -> list[TimelineEntry]:
    """Unanswered questions of an incident, oldest first."""
    rows = dbapi(conn).execute(_OPEN_QUESTIONS, (incident_id,))
    return [TimelineEntry._make(row) for row in rows]


def answers_to(conn: Connection, question_id: str) -> list[TimelineEntry]:
    rows = dbapi(conn).execute(_ANSWERS, (question_id,))
    return [TimelineEntry._make(row) for row in rows]


def key_events(conn: Connection, incident_id: str) -> list[TimelineEntry]:
    """Entries marked key, in timeline order (struck ones included: the caller decides)."""
    rows = dbapi(conn).execute(_KEY_EVENTS, (incident_id,))
    return [TimelineEntry._make(row) for row in rows]


_ENTRY_LIKE = "SELECT id FROM entry WHERE id LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' LIMIT 2"


def entry_ids_matching(conn: Connection, text: str) -> list[str]:
    """At most two entry ids that start or end with ``text`` (the CLI's short ids); the
    caller keeps ``text`` to id characters, so LIKE sees no wildcard of the user's."""
    rows = dbapi(conn).execute(_ENTRY_LIKE, (f"{text}%", f"%{text}"))
    return [row[0] for row in rows]
