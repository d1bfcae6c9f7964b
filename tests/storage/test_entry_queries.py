"""The timeline read by what entries are (storage/entry_queries.py): questions open until an
answer that is not struck links to them (even one pulled before its question), the answers to
a question, the entries marked key in timeline order, and short ids matched at either end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.core.ops import Entity, Field, register_change
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import entry_queries as eq
from commander.storage.database import open_engine
from tests.storage.foreign_ops import entry, feed, iso_of, op


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _typed(n: int, entry_id: str, kind: str, answers: str = "", incident: str = "inc"):  # type: ignore[no-untyped-def]
    value = {"occurred_at": iso_of(n), "event": f"{kind} {entry_id}", "kind": kind}
    if answers:
        value["answers"] = answers
    return op(n, Entity.ENTRY, entry_id, Field.CREATE, value, incident=incident)


def test_a_question_is_open_until_an_answer_not_struck_links_to_it(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    q1, _ = incidents.log(incident.id, "is the replica lagging?", kind="question")
    q2, _ = incidents.log(incident.id, "who owns the gateway?", kind="question")
    incidents.log(incident.id, "p99 at 4 s")  # no question
    with workspace.read() as conn:
        assert [e.id for e in eq.open_questions(conn, incident.id)] == [q1.id, q2.id]
    answer, _ = incidents.log(incident.id, "no, 2 s behind", answers=q1.id)
    with workspace.read() as conn:
        assert [e.id for e in eq.open_questions(conn, incident.id)] == [q2.id]
        assert [e.id for e in eq.answers_to(conn, q1.id)] == [answer.id]
    incidents.strike(answer.id, "that was the other replica")
    incidents.strike(q2.id, "asked twice")
    with workspace.read() as conn:
        assert [e.id for e in eq.open_questions(conn, incident.id)] == [q1.id]  # reopened
        assert eq.answers_to(conn, q1.id) == []
        assert eq.open_questions(conn, "no-such-incident") == []


def test_an_answer_pulled_before_its_question_closes_it(conn: Connection) -> None:
    feed(conn, [_typed(5, "a1", "answer", answers="q1"), _typed(6, "a2", "answer", answers="q1")])
    assert [e.id for e in eq.answers_to(conn, "q1")] == ["a1", "a2"]  # in timeline order
    feed(conn, [_typed(1, "q1", "question"), _typed(2, "q2", "question")])
    feed(conn, [_typed(3, "q3", "question", incident="other")])
    assert [e.id for e in eq.open_questions(conn, "inc")] == ["q2"]
    assert [e.id for e in eq.open_questions(conn, "other")] == ["q3"]
    assert eq.answers_to(conn, "") == []  # a plain entry's empty link answers nothing


def test_key_events_in_timeline_order_struck_ones_included(conn: Connection) -> None:
    feed(conn, [entry(n, f"e{n}", f"line {n}") for n in (3, 1, 2, 4)])
    marks = [
        op(10, Entity.ENTRY, "e3", Field.KEY_EVENT, register_change(True, None)),
        op(11, Entity.ENTRY, "e1", Field.KEY_EVENT, register_change(True, None)),
        op(12, Entity.ENTRY, "e4", Field.KEY_EVENT, register_change(True, None)),
        op(13, Entity.ENTRY, "e4", Field.KEY_EVENT, register_change(False, "a-12")),
        op(14, Entity.ENTRY, "e3", Field.STRIKE, {"reason": "wrong"}),
    ]
    feed(conn, marks)
    found = eq.key_events(conn, "inc")
    assert [(e.id, e.struck) for e in found] == [("e1", 0), ("e3", 1)]  # e4 unmarked again
    assert all(e.key_event == 1 for e in found) and eq.key_events(conn, "other") == []


def test_a_key_mark_that_loses_to_a_newer_one_changes_nothing(conn: Connection) -> None:
    feed(conn, [entry(1, "e1", "line")])
    newer = op(20, Entity.ENTRY, "e1", Field.KEY_EVENT, register_change(True, None), node="b")
    older = op(10, Entity.ENTRY, "e1", Field.KEY_EVENT, register_change(False, None))
    feed(conn, [newer, older])  # last writer wins, whatever the arrival order
    assert [e.id for e in eq.key_events(conn, "inc")] == ["e1"]


def test_short_ids_match_either_end_and_at_most_two(conn: Connection) -> None:
    feed(conn, [entry(n, eid, "x") for n, eid in enumerate(("ab12cd", "ab99ef", "zzcd", "x1"), 1)])
    assert eq.entry_ids_matching(conn, "ab12") == ["ab12cd"]
    assert sorted(eq.entry_ids_matching(conn, "cd")) == ["ab12cd", "zzcd"]
    assert len(eq.entry_ids_matching(conn, "")) == 2  # everything matches: capped at two
    assert eq.entry_ids_matching(conn, "nope") == []
    assert eq.entry_ids_matching(conn, "b99e") == []  # the middle is not an end
