"""A run of pulled entry creates stored and applied at once (storage/apply_batch.py) ends as
applying each op alone would: newest create of an id wins, strikes and amendments that came
first apply, adopted ordering stamps order the entries, over any number of ids."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from commander.core.attachments import VALUE_KEY
from commander.core.ops import SCHEMA_VERSION, Entity, Field, Op
from commander.storage import apply_batch
from commander.storage.database import open_engine
from tests.storage.foreign_ops import entry, feed, op, rows, stamp

_ENTRIES = (
    "SELECT id, occurred_at, hlc, node_id, event, struck, strike_reason, amended_event "
    "FROM entry ORDER BY id"
)


def _run(ops: list[Op]) -> list[tuple[Op, str]]:
    return [(each, each.value_json()) for each in ops]


def _batched(tmp_path: Path, before: list[Op], run: list[Op]) -> list[tuple[object, ...]]:
    engine = open_engine(tmp_path / "batched")
    with engine.begin() as conn:
        feed(conn, before)
        apply_batch.store_and_apply_entries(conn, _run(run))
        result = rows(conn, _ENTRIES)
        assert rows(conn, "SELECT count(*) FROM op") == [(len(before) + len(run),)]
    engine.dispose()
    return result


def _one_by_one(tmp_path: Path, before: list[Op], run: list[Op]) -> list[tuple[object, ...]]:
    engine = open_engine(tmp_path / "alone")
    with engine.begin() as conn:
        feed(conn, [*before, *run])
        result = rows(conn, _ENTRIES)
    engine.dispose()
    return result


def test_batchable_takes_plain_entry_creates_only() -> None:
    plain = entry(1, "e1", "paged the DBA")
    assert apply_batch.batchable(plain)
    assert not apply_batch.batchable(op(2, Entity.ENTRY, "e1", Field.STRIKE, {"reason": "dup"}))
    assert not apply_batch.batchable(op(3, Entity.INCIDENT, "inc", Field.CREATE, {}))
    assert not apply_batch.batchable(replace(plain, schema_version=SCHEMA_VERSION + 1))
    with_file = replace(plain, value={**plain.value, VALUE_KEY: {"sha256": "00"}})
    assert not apply_batch.batchable(with_file)


def test_an_empty_run_writes_nothing(workspace) -> None:  # type: ignore[no-untyped-def]
    with workspace.write() as conn:
        before = rows(conn, "SELECT count(*) FROM op")
        apply_batch.store_and_apply_entries(conn, [])
        assert rows(conn, "SELECT count(*) FROM op") == before


def test_a_run_ends_as_applying_each_op_alone(tmp_path: Path) -> None:
    before = [
        op(1, Entity.ENTRY, "e2", Field.STRIKE, {"reason": "wrong incident"}, node="b"),
        op(2, Entity.ENTRY, "e3", Field.AMEND, {"event": "paged Atlas", "action": ""}, node="b"),
    ]
    run = [
        entry(10, "e1", "first words", node="a"),
        entry(11, "e2", "struck before it came", node="a"),
        entry(12, "e3", "paged DBA", node="c"),
        entry(14, "e1", "a later create of e1 wins", node="b"),
        entry(13, "e1", "an older create arriving last loses", node="c"),
    ]
    batched = _batched(tmp_path, before, run)
    assert batched == _one_by_one(tmp_path, before, run)
    by_id = {row[0]: row for row in batched}
    assert by_id["e1"][4] == "a later create of e1 wins" and by_id["e1"][3] == "b"
    assert by_id["e2"][5:7] == (1, "wrong incident")
    assert by_id["e3"][7] == "paged Atlas"


def test_an_adopted_stamp_orders_the_entry_and_its_time(tmp_path: Path) -> None:
    ahead = entry(500, "e1", "written with a clock that ran ahead", node="a")
    claim = op(600, Entity.STAMP, "a", Field.ADOPT, {"stamps": {ahead.op_id: stamp(5)}}, node="a")
    other = entry(501, "e2", "another node's entry", node="b")
    batched = _batched(tmp_path, [claim], [ahead, other])
    assert batched == _one_by_one(tmp_path, [claim], [ahead, other])
    by_id = {row[0]: row for row in batched}
    assert by_id["e1"][2] == stamp(5) and by_id["e1"][1] == int(stamp(5).split(".")[0])
    assert by_id["e2"][2] == other.hlc
    engine = open_engine(tmp_path / "batched")
    with engine.connect() as conn:
        assert rows(conn, "SELECT op_id, hlc FROM op_stamp") == [(ahead.op_id, stamp(5))]
    engine.dispose()


def test_held_strikes_are_found_past_the_first_chunk_of_ids(tmp_path: Path) -> None:
    count = apply_batch._CHUNK + 120
    before = [
        op(1, Entity.ENTRY, "e0000", Field.STRIKE, {"reason": "first"}, node="b"),
        op(2, Entity.ENTRY, f"e{count - 1:04d}", Field.STRIKE, {"reason": "last"}, node="b"),
    ]
    run = [entry(10 + n, f"e{n:04d}", f"line {n}") for n in range(count)]
    batched = _batched(tmp_path, before, run)
    assert len(batched) == count
    assert [(row[0], row[6]) for row in batched if row[5]] == [
        ("e0000", "first"),
        (f"e{count - 1:04d}", "last"),
    ]


def test_a_failure_propagates_for_the_caller_to_retry_op_by_op(tmp_path: Path) -> None:
    run = [entry(10, "e1", "one"), entry(11, "e2", "two")]
    run[1] = replace(run[1], op_id=run[0].op_id)  # the same op id twice
    engine = open_engine(tmp_path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), engine.begin() as conn:
        apply_batch.store_and_apply_entries(conn, _run(run))
    with engine.connect() as conn:
        assert rows(conn, "SELECT count(*) FROM op") == [(0,)]
        assert rows(conn, "SELECT count(*) FROM entry") == [(0,)]
    engine.dispose()
