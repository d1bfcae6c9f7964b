"""Checklist registers (storage/apply_checklists.py): the newest op wins whatever order the
ops arrive in, on a real workspace file."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.ops import Entity, Field, Op, register_change
from commander.storage import apply_checklists
from commander.storage.database import open_engine

INCIDENT = "inc-1"


def _op(n: int, entity: str, entity_id: str, field: str, value: Any, node: str = "a") -> Op:
    return Op(
        f"op-{n}-{node}", node, f"{1_800_000_000_000 + n:015d}.000000", INCIDENT, entity,
        entity_id, field, register_change(value, None), f"author-{node}",
    )  # fmt: skip


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.exec_driver_sql(sql).fetchall()]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_newest_tick_wins_in_any_arrival_order(tmp_path: Path, order: tuple[int, ...]) -> None:
    ticks = [
        _op(1, Entity.CHECK, f"{INCIDENT}:step-1", Field.DONE, True),
        _op(2, Entity.CHECK, f"{INCIDENT}:step-1", Field.DONE, False),  # the untick
        _op(3, Entity.CHECK, f"{INCIDENT}:step-1", Field.DONE, True, node="b"),
    ]
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for i in order:
            apply_checklists.apply(conn, ticks[i])
        rows = _rows(conn, "SELECT incident_id, step_key, done, author FROM checklist_tick")
    engine.dispose()
    assert rows == [(INCIDENT, "step-1", 1, "author-b")]


def test_an_untick_is_a_newer_false(conn: Connection) -> None:
    apply_checklists.apply(conn, _op(1, Entity.CHECK, f"{INCIDENT}:s", Field.DONE, True))
    apply_checklists.apply(conn, _op(2, Entity.CHECK, f"{INCIDENT}:s", Field.DONE, False))
    assert _rows(conn, "SELECT done FROM checklist_tick") == [(0,)]


def test_an_op_on_another_field_changes_nothing(conn: Connection) -> None:
    apply_checklists.apply(conn, _op(1, Entity.CHECK, f"{INCIDENT}:s", Field.VALUE, True))
    assert _rows(conn, "SELECT * FROM checklist_tick") == []
    assert _rows(conn, "SELECT * FROM register") == []  # nor does it take the register


def test_checklist_content_and_runbook_values_are_stored_as_written(conn: Connection) -> None:
    content = {"title": "Certificate expiry", "steps": [{"key": "s1", "text": "Renew"}]}
    apply_checklists.apply(conn, _op(1, Entity.CHECKLIST, "cert", Field.CONTENT, content))
    apply_checklists.apply(conn, _op(2, Entity.RUNBOOK_VALUE, f"{INCIDENT}:host", Field.VALUE, 42))
    ((key, stored),) = _rows(conn, "SELECT key, content FROM checklist_def")
    assert key == "cert" and json.loads(stored) == content
    assert _rows(conn, "SELECT incident_id, name, value FROM runbook_value") == [
        (INCIDENT, "host", "42")
    ]
