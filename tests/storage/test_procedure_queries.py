"""Reads of the loaded procedure (storage/procedure_queries.py): the stored register as
(content JSON, updated at, author) or None, and every value it held in HLC order with the
file text left out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, register_change
from commander.storage import procedure_queries as pq
from commander.storage.database import open_engine
from commander.storage.tables_procedure import WORKSPACE_PROCEDURE
from tests.storage.foreign_ops import WALL0, feed, op


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _load(n: int, value: Any, *, node: str = "a", field: str = Field.CONTENT) -> Any:
    return op(
        n, Entity.PROCEDURE, WORKSPACE_PROCEDURE, field, register_change(value, None),
        node=node, incident=WORKSPACE_SCOPE,
    )  # fmt: skip


def test_no_procedure_loaded_is_none_and_no_history(conn: Connection) -> None:
    assert pq.procedure_row(conn, WORKSPACE_PROCEDURE) is None
    assert pq.procedure_history(conn, WORKSPACE_PROCEDURE) == []


def test_the_newest_load_is_the_row_and_every_load_the_history(conn: Connection) -> None:
    v2 = {"name": "Ops", "version": 2, "text": "name: Ops\nversion: 2\n"}
    v1 = {"name": "Ops", "version": 1, "text": "name: Ops\nversion: 1\n"}
    feed(conn, [
        _load(5, v2, node="b"),
        _load(2, v1),  # older, arrived later: history only
        _load(7, "ignored", field=Field.NAME),  # not the content register
    ])  # fmt: skip
    row = pq.procedure_row(conn, WORKSPACE_PROCEDURE)
    assert row is not None and json.loads(row[0]) == v2 and row[1:] == (WALL0 + 5, "author-b")
    assert pq.procedure_history(conn, WORKSPACE_PROCEDURE) == [
        (from_ms(WALL0 + 2), {"name": "Ops", "version": 1}),
        (from_ms(WALL0 + 5), {"name": "Ops", "version": 2}),
    ]
    assert pq.procedure_row(conn, "other") is None


def test_a_value_that_is_no_mapping_is_kept_as_it_is(conn: Connection) -> None:
    feed(conn, [_load(1, None), _load(2, "plain")])  # e.g. an unload
    assert pq.procedure_history(conn, WORKSPACE_PROCEDURE) == [
        (from_ms(WALL0 + 1), None),
        (from_ms(WALL0 + 2), "plain"),
    ]
