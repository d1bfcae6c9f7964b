"""Checklist edits and one incident's step ticks read back (storage/checklist_queries.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.storage import checklist_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_checklist_edits_and_ticks_of_oneincident_row(conn: Connection) -> None:
    put(
        conn,
        t.checklist_def_table,
        {"key": "c1", "content": '{"title": "T"}', "updated_at": 1, "author": "a"},
    )
    tick = {"done": 1, "at_ms": 5, "author": "a"}
    put(
        conn,
        t.checklist_tick_table,
        {"incident_id": "inc-a", "step_key": "s1", **tick},
        {"incident_id": "inc-a", "step_key": "s2", **tick, "done": 0},
        {"incident_id": "inc-b", "step_key": "s3", **tick},
    )
    assert checklist_queries.checklist_edits(conn) == {"c1": {"title": "T"}}
    assert checklist_queries.step_ticks(conn, "inc-a") == {
        "s1": (True, 5, "a"),
        "s2": (False, 5, "a"),
    }
