"""Concurrent edits of one incident field (storage/conflicts.py): each pair of register changes
from different nodes on the same ``base`` becomes one derived timeline entry, winner first, with
the same id and text on every replica whatever order the ops came in."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from commander.core.ops import Entity, Field, Op, register_change
from commander.storage import conflicts
from commander.storage.database import open_engine
from tests.storage.foreign_ops import entry, feed, op, rows, stamp

CREATE = op(
    1, Entity.INCIDENT, "inc", Field.CREATE,
    {
        "ref": "INC-20261118-AAAAAA", "title": "API down", "severity": "P2",
        "status": "investigating", "phase": "detection", "services": ["api"], "impact": "",
        "declared_at": "2026-11-18T10:00:00.000Z",
    },
    op_id="create",
)  # fmt: skip
_CONFLICTS = (
    "SELECT id, event, kind, author, hlc, node_id, struck FROM entry WHERE kind = 'conflict' "
    "ORDER BY id"
)


def _change(n: int, field: str, value: object, node: str, base: str | None = "create") -> Op:
    return op(n, Entity.INCIDENT, "inc", field, register_change(value, base), node=node)


def _conflicts_after(tmp_path: Path, ops: list[Op]) -> list[tuple[object, ...]]:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        feed(conn, ops)
        found = rows(conn, _CONFLICTS)
    engine.dispose()
    return found


def test_what_counts_as_a_register_change() -> None:
    assert conflicts.is_register_change(_change(2, Field.SEVERITY, "P1", "a"))
    assert conflicts.is_register_change(_change(2, Field.TITLE, "x", "a", base=None))
    assert not conflicts.is_register_change(CREATE)
    assert not conflicts.is_register_change(op(2, Entity.INCIDENT, "inc", Field.TITLE, "bare"))
    assert not conflicts.is_register_change(
        op(2, Entity.ENTRY, "e1", Field.STRIKE, {"reason": "r", "base": None})
    )


def test_a_conflict_id_names_the_pair_whatever_its_order() -> None:
    assert conflicts.conflict_id("a-2", "b-3") == conflicts.conflict_id("b-3", "a-2")
    assert conflicts.conflict_id("a-2", "b-3") != conflicts.conflict_id("a-2", "b-4")


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_two_concurrent_changes_make_one_entry_winner_first(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    ops = [CREATE, _change(2, Field.SEVERITY, "P1", "a"), _change(3, Field.SEVERITY, "P0", "b")]
    found = _conflicts_after(tmp_path, [ops[i] for i in order])
    assert found == [
        (
            conflicts.conflict_id("a-2", "b-3"),
            "Severity set to P0 by author-b, concurrently with P1 by author-a",
            conflicts.KIND_CONFLICT,
            conflicts.CONFLICT_AUTHOR,
            stamp(3),  # the winner's stamp and node
            "b",
            0,
        )
    ]


def test_statuses_phases_and_services_are_shown_as_people_read_them(tmp_path: Path) -> None:
    found = _conflicts_after(
        tmp_path,
        [
            CREATE,
            _change(2, Field.STATUS, "identified", "a"),
            _change(3, Field.STATUS, "monitoring", "b"),
            _change(4, Field.PHASE, "containment", "a"),
            _change(5, Field.PHASE, "no-such-phase", "b"),
            _change(6, Field.SERVICES, ["api", "db"], "a"),
            _change(7, Field.SERVICES, [], "b"),
            _change(8, Field.IMPACT, "", "a"),
            _change(9, Field.IMPACT, "checkout fails", "b"),
        ],
    )
    assert sorted(row[1] for row in found) == [
        "Customer impact set to checkout fails by author-b, concurrently with — by author-a",
        "Phase set to no-such-phase by author-b, concurrently with "
        "Containment & mitigation by author-a",
        "Services set to — by author-b, concurrently with api, db by author-a",
        "Status set to Monitoring by author-b, concurrently with Identified by author-a",
    ]


def test_changes_that_saw_each_other_or_come_from_one_node_are_no_conflict(
    tmp_path: Path,
) -> None:
    found = _conflicts_after(
        tmp_path,
        [
            CREATE,
            _change(2, Field.TITLE, "API down (EU)", "a"),
            _change(3, Field.TITLE, "API down (EU, US)", "b", base="a-2"),  # saw a's change
            _change(4, Field.SEVERITY, "P1", "a"),
            _change(5, Field.SEVERITY, "P0", "a"),  # the same node, same base
            _change(6, Field.PHASE, "containment", "a"),
            _change(7, Field.STATUS, "identified", "b"),  # another field
        ],
    )
    assert found == []


def test_three_concurrent_changes_make_one_entry_per_pair(tmp_path: Path) -> None:
    found = _conflicts_after(
        tmp_path,
        [
            CREATE,
            _change(2, Field.TITLE, "A", "a"),
            _change(3, Field.TITLE, "B", "b"),
            _change(4, Field.TITLE, "C", "c"),
        ],
    )
    ids = {conflicts.conflict_id(x, y) for x, y in [("a-2", "b-3"), ("a-2", "c-4"), ("b-3", "c-4")]}
    assert {row[0] for row in found} == ids
    assert sorted(row[1] for row in found) == [
        "Title set to B by author-b, concurrently with A by author-a",
        "Title set to C by author-c, concurrently with A by author-a",
        "Title set to C by author-c, concurrently with B by author-b",
    ]


def test_a_strike_of_the_conflict_entry_that_came_first_applies(tmp_path: Path) -> None:
    conflict = conflicts.conflict_id("a-2", "b-3")
    strike = op(9, Entity.ENTRY, conflict, Field.STRIKE, {"reason": "settled"}, node="c")
    amend = op(10, Entity.ENTRY, conflict, Field.AMEND, {"event": "P0 it is"}, node="c")
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        feed(conn, [CREATE, strike, amend])
        feed(conn, [_change(2, Field.SEVERITY, "P1", "a"), _change(3, Field.SEVERITY, "P0", "b")])
        assert rows(
            conn, "SELECT struck, strike_reason, amended_event FROM entry WHERE id = ?", conflict
        ) == [(1, "settled", "P0 it is")]
    engine.dispose()


def test_note_siblings_ignores_what_is_no_register_change(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        feed(conn, [CREATE])
        assert conflicts.note_siblings(conn, CREATE) == []
        assert conflicts.note_siblings(conn, entry(2, "e1", "hello")) == []
        first = _change(3, Field.TITLE, "A", "a")
        second = _change(4, Field.TITLE, "B", "b")
        feed(conn, [first])
        assert conflicts.note_siblings(conn, first) == []  # no sibling yet
        feed(conn, [second])
        again = conflicts.note_siblings(conn, second)  # a replay makes the same entry
        assert again == [conflicts.conflict_id("a-3", "b-4")]
        assert len(rows(conn, _CONFLICTS)) == 1
    engine.dispose()
