"""The directory read back (storage/people_queries.py): people by name ignoring case, the
removed ones only when asked, their roles, one person by handle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.storage import people_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_people_by_name_ignoring_case_removed_only_when_asked(conn: Connection) -> None:
    person = {"team": "sre", "email": "", "phone": "", "roles": '["scribe"]', "updated_at": 1}
    put(
        conn,
        t.person_table,
        {"handle": "zed", "name": "alice", "removed": 0, **person},
        {"handle": "amy", "name": "Alice", "removed": 0, **person},
        {"handle": "bob", "name": "Bob", "removed": 1, **person},
        {"handle": "cat", "name": "carol", "removed": 0, **person, "roles": ""},
    )
    assert [p.handle for p in people_queries.people(conn, include_removed=False)] == [
        "amy",
        "zed",
        "cat",
    ]
    everyone = people_queries.people(conn, include_removed=True)
    assert [p.handle for p in everyone] == ["amy", "zed", "bob", "cat"]
    assert everyone[0].roles == ("scribe",)
    assert everyone[3].roles == ()
    removed = people_queries.person(conn, "bob")
    assert removed is not None and removed.removed
    assert people_queries.person(conn, "nobody") is None
