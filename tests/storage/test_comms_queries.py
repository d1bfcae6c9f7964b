"""Stored comms templates by name and an incident's open drafts newest first
(storage/comms_queries.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.storage import comms_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_templates_by_name_and_open_drafts_newest_first(conn: Connection) -> None:
    tpl = {"audience": "internal", "subject": "S", "body": "B", "updated_at": 1, "author": "a"}
    put(
        conn,
        t.comms_template_table,
        {"key": "k2", "name": "Beta", **tpl, "deleted": 1},
        {"key": "k1", "name": "Alpha", **tpl},
    )
    assert comms_queries.stored_templates(conn) == [
        ("k1", "Alpha", "internal", "S", "B", 0),
        ("k2", "Beta", "internal", "S", "B", 1),
    ]
    draft = {"template_key": "k1", "audience": "internal", "channel": "slack", "author": "a"}
    put(
        conn,
        t.comms_draft_table,
        {"id": "d1", "incident_id": "inc-a", **draft, "fields": "{}", "updated_at": 10},
        {"id": "d2", "incident_id": "inc-a", **draft, "fields": '{"x": 1}', "updated_at": 20},
        {
            "id": "d3",
            "incident_id": "inc-a",
            **draft,
            "fields": "{}",
            "updated_at": 30,
            "discarded": 1,
        },
        {"id": "d4", "incident_id": "inc-b", **draft, "fields": "{}", "updated_at": 40},
    )
    drafts = comms_queries.open_drafts(conn, "inc-a")
    assert [d[0] for d in drafts] == ["d2", "d1"]
    assert drafts[0] == ("d2", "inc-a", "k1", "internal", "slack", '{"x": 1}', 20, "a")
    assert comms_queries.draft_content(conn, "d3") == ("inc-a", "k1", "internal", "slack", "{}")
    assert comms_queries.draft_content(conn, "nope") is None
