"""Reads of the timeline by what entries are: open questions, answers, key events.

Kept apart from ``queries`` (the hot timeline load) so those reads stay as they are.
"""

from __future__ import annotations

from sqlalchemy import Connection, FromClause, Select, bindparam, literal_column, select
from sqlalchemy.sql.expression import ColumnClause

from commander.core.records import TimelineEntry
from commander.storage.queries import ENTRY_COLUMNS
from commander.storage.tables import entry_table

# The partial indexes' conditions, written as literals so each statement names them as the
# index does (``kind = 'question'``, ``key_event = 1``, ``answers <> ''``).
_QUESTION: ColumnClause[str] = literal_column("'question'")
_KEY: ColumnClause[int] = literal_column("1")
_NO_ANSWER: ColumnClause[str] = literal_column("''")


def _entry_select(table: FromClause) -> Select[tuple[object, ...]]:
    """``SELECT`` of ``table``'s columns in ``TimelineEntry`` order."""
    return select(*(table.c[name] for name in ENTRY_COLUMNS.split(", ")))


_q = entry_table.alias("q")
_a = entry_table.alias("a")
# A question is open while no answer that is not struck links to it. An answer that arrived
# by sync before its question still closes it: the link is a query, not a stored flag.
# ``answers <> ''`` lets SQLite use the partial index (only answers are in it, so the other
# entries' inserts, a pull's bulk, skip it).
_OPEN_QUESTIONS = (
    _entry_select(_q)
    .where(
        _q.c.incident_id == bindparam("incident_id"),
        _q.c.kind == _QUESTION,
        _q.c.struck == 0,
        ~select(literal_column("1"))
        .where(_a.c.answers == _q.c.id, _a.c.answers != _NO_ANSWER, _a.c.struck == 0)
        .exists(),
    )
    .order_by(_q.c.occurred_at, _q.c.hlc, _q.c.id)
)
_e = entry_table.c
_ANSWERS = (
    _entry_select(entry_table)
    .where(_e.answers == bindparam("question_id"), _e.answers != _NO_ANSWER, _e.struck == 0)
    .order_by(_e.occurred_at, _e.hlc, _e.id)
)
_KEY_EVENTS = (
    _entry_select(entry_table)
    .where(_e.incident_id == bindparam("incident_id"), _e.key_event == _KEY)
    .order_by(_e.occurred_at, _e.hlc, _e.id)
)


def open_questions(conn: Connection, incident_id: str) -> list[TimelineEntry]:
    """Unanswered questions of an incident, oldest first."""
    rows = conn.execute(_OPEN_QUESTIONS, {"incident_id": incident_id})
    return [TimelineEntry._make(row) for row in rows]


def answers_to(conn: Connection, question_id: str) -> list[TimelineEntry]:
    rows = conn.execute(_ANSWERS, {"question_id": question_id})
    return [TimelineEntry._make(row) for row in rows]


def key_events(conn: Connection, incident_id: str) -> list[TimelineEntry]:
    """Entries marked key, in timeline order (struck ones included: the caller decides)."""
    rows = conn.execute(_KEY_EVENTS, {"incident_id": incident_id})
    return [TimelineEntry._make(row) for row in rows]


_ENTRY_LIKE = (
    select(_e.id)
    .where(
        _e.id.like(bindparam("starts"), escape="\\") | _e.id.like(bindparam("ends"), escape="\\")
    )
    .limit(2)
)


def entry_ids_matching(conn: Connection, text: str) -> list[str]:
    """At most two entry ids that start or end with ``text`` (the CLI's short ids); the
    caller keeps ``text`` to id characters, so LIKE sees no wildcard of the user's."""
    rows = conn.execute(_ENTRY_LIKE, {"starts": f"{text}%", "ends": f"%{text}"})
    return [row[0] for row in rows]
