"""A review's competing section versions from the op log (storage/review_versions.py): per
section with more than one head, the register's holder and every other head oldest first; a
section with one head (a plain edit, a resolution merging the others) is left out, and an op
is read back as the version it wrote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.ops import Entity, register_change
from commander.core.review import REVIEW_SCHEDULE
from commander.core.review_versions import Version, resolution_change
from commander.storage import review_versions as rv
from commander.storage.database import open_engine
from tests.storage.foreign_ops import WALL0, feed, op

IMPACT = "customer_impact"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _edit(n: int, key: str, value: Any, *, node: str = "a", incident: str = "inc") -> Any:
    return op(n, Entity.REVIEW, incident, key, value, node=node, incident=incident)


def _v(op_id: str, n: int, text: str) -> Version:
    return Version(op_id, f"author-{op_id[0]}", from_ms(WALL0 + n), text)


def test_concurrent_edits_are_the_holder_and_the_other_heads(conn: Connection) -> None:
    feed(conn, [
        _edit(1, IMPACT, register_change("20 min", None)),
        _edit(4, IMPACT, register_change("30 min", "a-1"), node="d"),  # newest: holds it
        _edit(2, IMPACT, register_change("25 min", "a-1"), node="b"),
        _edit(3, IMPACT, register_change("22 min", "a-1"), node="c"),
        _edit(5, "services_affected", register_change("api", None)),
        _edit(6, "services_affected", register_change("api, db", "a-5")),  # saw the first
        _edit(7, REVIEW_SCHEDULE, register_change({"start": None}, None)),  # not a section
        _edit(8, "no_such_section", register_change("x", None), node="b"),
        _edit(9, "no_such_section", register_change("y", None), node="c"),
        _edit(1, IMPACT, register_change("elsewhere", None), node="z", incident="other"),
    ])  # fmt: skip
    found = rv.section_heads(conn, "inc")
    assert found == {IMPACT: ("d-4", [_v("b-2", 2, "25 min"), _v("c-3", 3, "22 min")])}
    assert rv.section_heads(conn, "other") == {} and rv.section_heads(conn, "missing") == {}


def test_a_resolution_merging_every_head_leaves_one(conn: Connection) -> None:
    feed(conn, [
        _edit(1, IMPACT, register_change("20 min", None)),
        _edit(2, IMPACT, register_change("25 min", "a-1"), node="b"),
        _edit(3, IMPACT, register_change("22 min", "a-1"), node="c"),
    ])  # fmt: skip
    assert rv.section_heads(conn, "inc")[IMPACT][0] == "c-3"
    feed(conn, [_edit(4, IMPACT, resolution_change("20-25 min", "b-2", ["c-3"]), node="d")])
    assert rv.section_heads(conn, "inc") == {}


def test_a_damaged_or_odd_value_is_skipped_or_read_as_no_text(conn: Connection) -> None:
    feed(conn, [
        _edit(1, IMPACT, register_change("20 min", None)),
        _edit(2, IMPACT, register_change(42, None), node="b"),
        _edit(3, IMPACT, register_change("lost", None), node="c"),
    ])  # fmt: skip
    conn.exec_driver_sql("UPDATE op SET value = 'not json' WHERE op_id = 'c-3'")
    holder, others = rv.section_heads(conn, "inc")[IMPACT]
    assert [(v.op_id, v.text) for v in others] == [("a-1", "20 min"), ("b-2", "")]  # c-3 skipped
    assert holder == "c-3"  # the register still names it
    assert rv.version_of(conn, "b-2") == _v("b-2", 2, "")  # a number is no text


def test_version_of_an_op(conn: Connection) -> None:
    feed(conn, [_edit(3, IMPACT, register_change("20 min", None), node="b")])
    assert rv.version_of(conn, "b-3") == _v("b-3", 3, "20 min")
    assert rv.version_of(conn, "missing") is None
