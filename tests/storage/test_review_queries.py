"""The review's reads (storage/review_queries.py): its sections, its meeting, the first kept
entry's time and the hows of the deadlines it missed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.ops import Field
from commander.storage import review_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import entry_row, put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_review_sections_meeting_and_firstentry_row(conn: Connection) -> None:
    section = {"incident_id": "inc-a", "updated_at": 1, "author": "a"}
    put(
        conn,
        t.review_field_table,
        {"id": "inc-a:summary", "key": "summary", "text": "It broke", **section},
        {"id": "inc-a:cause", "key": "cause", "text": "  ", **section},
    )
    assert review_queries.review_texts(conn, "inc-a") == {"summary": "It broke", "cause": "  "}
    assert review_queries.review_text(conn, "inc-a", "summary") == "It broke"
    assert review_queries.review_text(conn, "inc-a", "lessons") == ""
    assert review_queries.review_meeting(conn, "inc-a") is None
    meeting = {"minutes": 45, "updated_at": 1, "author": "a"}
    put(
        conn,
        t.review_schedule_table,
        {"incident_id": "inc-a", "start_ms": 9_000, **meeting},
        {"incident_id": "inc-b", "start_ms": None, **meeting},
    )
    assert review_queries.review_meeting(conn, "inc-a") == (9_000, 45)
    assert review_queries.review_meeting(conn, "inc-b") is None  # cancelled
    assert review_queries.first_entry_ms(conn, "inc-a") is None
    put(
        conn,
        t.entry_table,
        entry_row("e1", "inc-a", 100, "struck", struck=1),
        entry_row("e2", "inc-a", 200, "kept"),
        entry_row("e3", "inc-b", 50, "other"),
    )
    assert review_queries.first_entry_ms(conn, "inc-a") == 200


def test_the_hows_of_the_deadlines_an_incident_missed_in_time_order(conn: Connection) -> None:
    def event(op_id: str, kind: str, at_ms: int, incident_id: str = "inc-a") -> dict[str, Any]:
        return {
            "op_id": op_id, "incident_id": incident_id, "key": f"key-{op_id}", "kind": kind,
            "at_ms": at_ms, "hlc": f"h{at_ms}", "author": "a", "how": f"how {op_id}",
            "until_ms": at_ms - 10,
        }  # fmt: skip

    assert review_queries.missed_deadline_hows(conn, "inc-a") == []
    put(
        conn,
        t.deadline_event_table,
        event("o3", Field.OVERDUE, 300),
        event("o2", "met", 200),
        event("o1", Field.OVERDUE, 100),
        event("o4", Field.OVERDUE, 50, "inc-b"),
    )
    assert review_queries.missed_deadline_hows(conn, "inc-a") == ["how o1", "how o3"]
