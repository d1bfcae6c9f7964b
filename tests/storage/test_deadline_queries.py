"""An incident's deadline events in time order and its overdue notices
(storage/deadline_queries.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.ops import Field
from commander.storage import deadline_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_deadline_events_in_time_order_and_overdue_notices(conn: Connection) -> None:
    def event(
        op_id: str, kind: str, at_ms: int, hlc: str, until: int | None = None
    ) -> dict[str, Any]:
        return {
            "op_id": op_id, "incident_id": "inc-a", "key": f"key-{op_id}", "kind": kind,
            "at_ms": at_ms, "hlc": hlc, "author": "a", "how": f"how {op_id}", "until_ms": until,
        }  # fmt: skip

    put(
        conn,
        t.deadline_event_table,
        event("o3", Field.OVERDUE, 300, "h3", 250),
        event("o2", "met", 100, "h2"),
        event("o1", Field.OVERDUE, 100, "h1", 90),
        {**event("o4", Field.OVERDUE, 50, "h0", 40), "incident_id": "inc-b"},
    )
    assert [e[0] for e in deadline_queries.deadline_events(conn, "inc-a")] == [
        "key-o1",
        "key-o2",
        "key-o3",
    ]
    assert deadline_queries.deadline_events(conn, "inc-a")[0] == (
        "key-o1", Field.OVERDUE, 100, "a", "how o1", 90,
    )  # fmt: skip
    assert deadline_queries.overdue_notices(conn, "inc-a") == {("key-o1", 90), ("key-o3", 250)}
