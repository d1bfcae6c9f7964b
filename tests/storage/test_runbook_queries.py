"""Runbook values saved in one incident and the newest used elsewhere
(storage/runbook_queries.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.storage import runbook_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_runbook_values_here_and_the_newest_elsewhere(conn: Connection) -> None:
    value = {"author": "a"}
    put(
        conn,
        t.runbook_value_table,
        {"incident_id": "inc-a", "name": "ns", "value": "prod", "updated_at": 1, **value},
        {"incident_id": "inc-b", "name": "ns", "value": "old", "updated_at": 2, **value},
        {"incident_id": "inc-c", "name": "ns", "value": "new", "updated_at": 3, **value},
        {"incident_id": "inc-c", "name": "pod", "value": "web-1", "updated_at": 1, **value},
    )
    assert runbook_queries.saved_values(conn, "inc-a") == {"ns": "prod"}
    assert runbook_queries.recent_values_elsewhere(conn, "inc-a") == {
        "ns": ["new", "old"],
        "pod": ["web-1"],
    }
