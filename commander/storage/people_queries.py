"""Reads of the people directory (``person``, written by ``apply_team``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection

from commander.core.people import Person
from commander.storage.database import dbapi


def _person_row(row: Sequence[object]) -> Person:
    handle, name, team, email, phone, roles, removed = row
    return Person(
        handle=str(handle),
        name=str(name),
        team=str(team),
        email=str(email),
        phone=str(phone),
        roles=tuple(json.loads(str(roles) or "[]")),
        removed=bool(removed),
    )


_PERSON_SELECT = "SELECT handle, name, team, email, phone, roles, removed FROM person"


def people(conn: Connection, *, include_removed: bool) -> list[Person]:
    """Everyone in the directory by name (removed people only if asked)."""
    sql = _PERSON_SELECT + ("" if include_removed else " WHERE removed = 0")
    rows = dbapi(conn).execute(sql + " ORDER BY name COLLATE NOCASE, handle").fetchall()
    return [_person_row(row) for row in rows]


def person(conn: Connection, handle: str) -> Person | None:
    """The person with this handle, removed or not, or None."""
    row = dbapi(conn).execute(_PERSON_SELECT + " WHERE handle = ?", (handle,)).fetchone()
    return _person_row(row) if row else None
