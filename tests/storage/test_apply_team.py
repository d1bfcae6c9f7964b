"""The people directory and custom roles (storage/apply_team.py): one register per column, so
concurrent edits of different fields both survive, on a real workspace file."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.ops import Entity, Field, Op, register_change
from commander.storage import apply_team
from commander.storage.database import open_engine


def _op(n: int, entity: str, entity_id: str, field: str, value: Any, node: str = "a") -> Op:
    return Op(
        f"op-{n}-{node}", node, f"{1_800_000_000_000 + n:015d}.000000", "", entity, entity_id,
        field, register_change(value, None), f"author-{node}",
    )  # fmt: skip


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _person(conn: Connection, handle: str) -> tuple[Any, ...]:
    row = conn.exec_driver_sql(
        "SELECT name, team, roles, removed FROM person WHERE handle = ?", (handle,)
    ).fetchone()
    return tuple(row)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_concurrent_edits_of_different_fields_both_survive(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    ops = [
        _op(1, Entity.PERSON, "dana", Field.NAME, "Dana"),
        _op(2, Entity.PERSON, "dana", Field.TEAM, "SRE", node="b"),
        _op(3, Entity.PERSON, "dana", Field.NAME, "Dana Okafor", node="c"),
    ]
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for i in order:
            apply_team.apply_person(conn, ops[i])
        assert _person(conn, "dana") == ("Dana Okafor", "SRE", "[]", 0)
    engine.dispose()


def test_roles_are_stored_as_a_json_list_and_removal_as_a_flag(conn: Connection) -> None:
    apply_team.apply_person(conn, _op(1, Entity.PERSON, "sofia", Field.ROLES, ("ic", "comms")))
    apply_team.apply_person(conn, _op(2, Entity.PERSON, "sofia", Field.REMOVED, "yes"))
    assert _person(conn, "sofia") == ("", "", '["ic", "comms"]', 1)


def test_a_field_that_is_no_register_writes_nothing(conn: Connection) -> None:
    apply_team.apply_person(conn, _op(1, Entity.PERSON, "tom", Field.HOLDER, "x"))
    apply_team.apply_role_def(conn, _op(2, Entity.ROLE_DEF, "scribe", Field.TEAM, "x"))
    assert conn.exec_driver_sql("SELECT COUNT(*) FROM person").scalar() == 0
    assert conn.exec_driver_sql("SELECT COUNT(*) FROM role_def").scalar() == 0


def test_an_older_role_definition_does_not_overwrite_a_newer_one(conn: Connection) -> None:
    apply_team.apply_role_def(conn, _op(2, Entity.ROLE_DEF, "scribe", Field.NAME, "Scribe"))
    apply_team.apply_role_def(conn, _op(1, Entity.ROLE_DEF, "scribe", Field.NAME, "Notes"))
    apply_team.apply_role_def(
        conn, _op(3, Entity.ROLE_DEF, "scribe", Field.DESCRIPTION, "Keeps the log")
    )
    row = conn.exec_driver_sql("SELECT name, description, removed FROM role_def").fetchall()
    assert [tuple(r) for r in row] == [("Scribe", "Keeps the log", 0)]
