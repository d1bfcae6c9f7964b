"""Reads of the people directory (``person``, written by ``apply_team``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, select

from commander.core.people import Person
from commander.storage.tables import person_table as p


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


_PERSON_SELECT = select(
    p.c.handle, p.c.name, p.c.team, p.c.email, p.c.phone, p.c.roles, p.c.removed
)


def people(conn: Connection, *, include_removed: bool) -> list[Person]:
    """Everyone in the directory by name (removed people only if asked)."""
    query = _PERSON_SELECT if include_removed else _PERSON_SELECT.where(p.c.removed == 0)
    rows = conn.execute(query.order_by(p.c.name.collate("NOCASE"), p.c.handle))
    return [_person_row(row) for row in rows]


def person(conn: Connection, handle: str) -> Person | None:
    """The person with this handle, removed or not, or None."""
    row = conn.execute(_PERSON_SELECT.where(p.c.handle == handle)).first()
    return _person_row(row) if row else None
