"""Action items read back (storage/action_item_queries.py): only those with a due date, of one
incident or all, and matched by the start or the end of their id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.storage import action_item_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_action_items_need_a_due_date_and_match_by_id_prefix_or_suffix(conn: Connection) -> None:
    def item(item_id: str, incident_id: str, due: str) -> dict[str, Any]:
        return {
            "id": item_id, "incident_id": incident_id, "title": f"Fix {item_id}", "owner": "bob",
            "term": "short", "due": due, "status": "open", "tracker_url": "", "entry_id": None,
            "created_at": 1_000, "updated_at": 1_000,
        }  # fmt: skip

    put(
        conn,
        t.action_item_table,
        item("ai-1-x", "inc-a", "2026-12-01"),
        item("ai-2-y", "inc-a", ""),
        item("zz-3-x", "inc-b", "2026-12-03"),
    )
    assert {i.id for i in action_item_queries.action_items(conn)} == {"ai-1-x", "zz-3-x"}
    (only,) = action_item_queries.action_items(conn, "inc-a")
    assert (only.id, only.due, only.owner) == ("ai-1-x", date(2026, 12, 1), "bob")
    assert {i.id for i in action_item_queries.action_items_matching(conn, "ai")} == {"ai-1-x"}
    assert {i.id for i in action_item_queries.action_items_matching(conn, "-x")} == {
        "ai-1-x",
        "zz-3-x",
    }
    assert action_item_queries.action_items_matching(conn, "%") != []  # % is dropped, not a glob
    assert action_item_queries.action_items_matching(conn, "ai-2-y") == []  # no due date
