"""The read-only records: a timeline entry's times, order and JSON, and ``ChangeSet``: what
appended ops changed, for the views to refresh."""

from __future__ import annotations

from datetime import UTC, datetime

from commander.core.hlc import HlcStamp
from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, Op
from commander.core.records import ChangeSet, TimelineEntry

OCCURRED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
OCCURRED_MS = int(OCCURRED.timestamp() * 1000)
RECORDED_MS = OCCURRED_MS + 90_000


def entry(**changes: object) -> TimelineEntry:
    base = TimelineEntry(
        id="e1",
        incident_id="inc-1",
        occurred_at_ms=OCCURRED_MS,
        hlc=HlcStamp(RECORDED_MS, 0).encode(),
        kind="decision",
        event="roll back",
        action="",
        owner="bob",
        author="alice",
        struck=0,
        strike_reason="",
        amended_event=None,
        amended_action=None,
    )
    return base._replace(**changes)


def _op(incident_id: str, entity: str, entity_id: str) -> Op:
    return Op(
        op_id=f"op-{entity_id}",
        node_id="node-a",
        hlc="0",
        incident_id=incident_id,
        entity=entity,
        entity_id=entity_id,
        field=Field.TITLE,
        value="x",
        author="alice",
    )


def test_an_entry_reads_its_time_from_milliseconds() -> None:
    assert entry().occurred_at == OCCURRED


def test_entries_sort_by_time_then_stamp_then_id() -> None:
    a = entry(id="b")
    b = entry(id="a")
    c = entry(id="0", occurred_at_ms=OCCURRED_MS + 1)
    d = entry(id="z", hlc=HlcStamp(RECORDED_MS - 1, 0).encode())
    assert sorted([c, a, b, d], key=lambda e: e.sort_key) == [d, b, a, c]


def test_an_entry_writes_flags_as_booleans_and_blanks_as_null() -> None:
    assert entry().to_json() == {
        "id": "e1",
        "occurred_at": "2026-11-28T10:00:00.000Z",
        "event": "roll back",
        "action": "",
        "owner": "bob",
        "author": "alice",
        "kind": "decision",
        "struck": False,
        "strike_reason": None,
        "amended_event": None,
        "amended_action": None,
        "recorded_at": "2026-11-28T10:01:30.000Z",
        "attributed_to": None,
        "answers": None,
        "key_event": False,
    }


def test_a_struck_amended_key_entry_writes_what_it_holds() -> None:
    shown = entry(
        struck=1,
        strike_reason="wrong incident",
        amended_event="roll forward",
        attributed_to="carol",
        answers="q1",
        key_event=1,
    ).to_json()
    assert (shown["struck"], shown["strike_reason"]) == (True, "wrong incident")
    assert (shown["amended_event"], shown["amended_action"]) == ("roll forward", None)
    assert (shown["attributed_to"], shown["answers"], shown["key_event"]) == ("carol", "q1", True)


def test_entries_and_records_are_told_apart_and_workspace_ops_concern_no_incident() -> None:
    changes = ChangeSet.of(
        [
            _op("inc-1", Entity.ENTRY, "e1"),
            _op("inc-1", Entity.INCIDENT, "inc-1"),
            _op("inc-2", Entity.IMPACT, "s1"),
            _op(WORKSPACE_SCOPE, Entity.PERSON, "alice"),
        ]
    )
    assert changes.incident_ids == {"inc-1", "inc-2"}
    assert changes.entry_ids == {"inc-1": {"e1"}}
    assert changes.records_changed == {"inc-1", "inc-2"}
    assert not ChangeSet.of([_op(WORKSPACE_SCOPE, Entity.PERSON, "bob")])


def test_a_change_set_keeps_its_sequence_numbers_and_the_last() -> None:
    changes = ChangeSet.of([_op("inc-1", Entity.ENTRY, "e1")], seqs=[7, 3, 9])
    assert (changes.seqs, changes.last_seq) == ({3, 7, 9}, 9)
    assert ChangeSet.of([]).last_seq == 0


def test_adding_by_hand_collects_entries_per_incident() -> None:
    changes = ChangeSet()
    assert not changes
    changes.add("inc-1", "entry", "e1")
    changes.add("inc-1", "entry", "e2")
    changes.add("inc-2", "role", "r1")
    assert changes
    assert changes.entry_ids == {"inc-1": {"e1", "e2"}}
    assert changes.records_changed == {"inc-2"}
