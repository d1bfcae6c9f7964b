"""Entry kinds, key events and question -> answer links, through the service as the GUI and
CLI use them, and across two workspaces exchanging ops as sync does."""

from datetime import UTC, timedelta

import pytest
from sqlalchemy import text

from commander.core.entry_kinds import Kind, is_backfilled, label
from commander.core.errors import NotFoundError, ValidationError
from commander.services.incidents import IncidentService
from commander.services.questions import QuestionService, age_text
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from tests.services.ops_exchange import copy_ops


@pytest.fixture
def incident_id(incidents: IncidentService) -> str:
    return incidents.declare(title="API down", severity="P1").incident.id


def test_each_kind_is_logged_and_shown_with_icon_and_word(incidents, incident_id) -> None:
    for line, kind in [
        ("10:00 o: errors rising", Kind.OBSERVATION),
        ("a: failed over @carol", Kind.ACTION),
        ("c: told support", Kind.COMMUNICATION),
        ("? is it the cache", Kind.QUESTION),
    ]:
        entry, _ = incidents.log_quick(incident_id, line)
        assert entry.kind == kind
        assert label(entry.kind).endswith(kind)
    timeline = incidents.timeline(incident_id)
    failed_over = next(e for e in timeline if e.event == "failed over")
    assert failed_over.owner == "carol"
    assert timeline[0].occurred_at.hour == 10  # the time came before the prefix


def test_a_decision_records_who_decided(incidents, incident_id, workspace) -> None:
    mine, _ = incidents.log_quick(incident_id, "d: freeze deploys")
    theirs, _ = incidents.log_quick(incident_id, "d: @bob roll back @carol")
    assert (mine.kind, mine.attributed_to) == (Kind.DECISION, workspace.author)
    assert (theirs.attributed_to, theirs.owner, theirs.event) == ("bob", "carol", "roll back")
    assert theirs.to_json()["attributed_to"] == "bob"


def test_a_person_cannot_write_a_system_entry_or_an_unlinked_answer(incidents, incident_id) -> None:
    with pytest.raises(ValidationError, match="not an entry kind"):
        incidents.log(incident_id, "x", kind="system")
    with pytest.raises(ValidationError, match="must name the question"):
        incidents.log(incident_id, "x", kind=Kind.ANSWER)
    assert len(incidents.timeline(incident_id)) == 1


def test_key_marking_toggles_with_one_call_and_is_a_register(incidents, incident_id) -> None:
    entry, _ = incidents.log_quick(incident_id, "d: roll back")
    questions = QuestionService(incidents.workspace)
    assert incidents.toggle_key(entry.id)
    assert [e.id for e in questions.key_events(incident_id)] == [entry.id]
    assert incidents.toggle_key(entry.id)
    assert questions.key_events(incident_id) == []
    assert not incidents.mark_key(entry.id, False)  # already unmarked: nothing written
    incidents.mark_key(entry.id)
    assert incidents.entries([entry.id])[0].key_event == 1
    assert verify_workspace(incidents.workspace).ok


def test_a_question_stays_open_until_an_answer_links_to_it(incidents, incident_id, clock):
    asked, _ = incidents.log_quick(incident_id, "? is the replica lagging")
    clock.advance(timedelta(minutes=3))
    later, _ = incidents.log_quick(incident_id, "who owns the cache?")
    clock.advance(timedelta(minutes=4))
    questions = QuestionService(incidents.workspace)
    open_now = questions.open_questions(incident_id)
    assert [q.entry.id for q in open_now] == [asked.id, later.id]  # oldest first
    assert [age_text(q.age) for q in open_now] == ["7 min", "4 min"]
    answer, _ = incidents.log(incident_id, "yes, 40 s behind", answers=asked.id)
    assert answer.kind == Kind.ANSWER and answer.answers == asked.id
    assert [q.entry.id for q in questions.open_questions(incident_id)] == [later.id]
    assert [a.id for a in questions.answers_to(asked.id)] == [answer.id]
    incidents.strike(answer.id, "wrong replica")
    assert len(questions.open_questions(incident_id)) == 2  # a struck answer answers nothing
    assert verify_workspace(incidents.workspace).ok


def test_only_a_question_of_the_same_incident_is_answered(incidents, incident_id) -> None:
    note, _ = incidents.log_quick(incident_id, "o: errors")
    with pytest.raises(ValidationError, match="not a question"):
        incidents.log(incident_id, "x", answers=note.id)
    with pytest.raises(NotFoundError, match="No question"):
        incidents.log(incident_id, "x", answers="nope")


def test_two_times_per_entry_and_back_filled_entries(incidents, incident_id, clock) -> None:
    clock.advance(timedelta(minutes=30))
    live, _ = incidents.log_quick(incident_id, "o: now")
    late, _ = incidents.log_quick(incident_id, "10:05 o: from memory")
    assert not is_backfilled(live.occurred_at_ms, live.hlc)
    assert is_backfilled(late.occurred_at_ms, late.hlc)
    assert late.to_json()["recorded_at"] == "2026-11-28T10:30:00.000Z"
    assert late.to_json()["occurred_at"] == "2026-11-28T10:05:00.000Z"


def test_answers_and_key_marks_converge_across_two_workspaces(tmp_path, clock) -> None:
    one = Workspace.open(tmp_path / "one", author="alice", clock=clock, zone=UTC)
    two = Workspace.open(tmp_path / "two", author="bob", clock=clock, zone=UTC)
    try:
        a, b = IncidentService(one), IncidentService(two)
        incident_id = a.declare(title="x", severity="P2").incident.id
        question, _ = a.log_quick(incident_id, "? is it DNS")
        copy_ops(one, two)
        clock.advance(timedelta(minutes=1))
        b.log(incident_id, "no, it is the cache", answers=question.id)
        b.mark_key(question.id)
        # The answer reaches a third replica before its question: still closes it.
        three = Workspace.open(tmp_path / "three", author="carol", clock=clock, zone=UTC)
        try:
            copy_ops(two, one)
            _copy_entry_ops_answer_first(two, three)
            copy_ops(two, three)
            for ws in (one, two, three):
                questions = QuestionService(ws)
                assert questions.open_questions(incident_id) == []
                assert [e.id for e in questions.key_events(incident_id)] == [question.id]
                assert verify_workspace(ws).ok
        finally:
            three.close()
    finally:
        one.close()
        two.close()


def _copy_entry_ops_answer_first(source: Workspace, target: Workspace) -> None:
    """Apply the newest entry op (the key mark) and the answer before anything else."""
    from commander.storage import oplog
    from commander.storage.queries import ops_in_chain_order

    with source.read() as conn:
        ops = [op for op in ops_in_chain_order(conn) if op.entity == "entry"]
    answer = next(op for op in ops if op.field == "create" and op.value.get("answers"))
    with target.write() as conn:
        oplog.store(conn, answer)
        oplog.apply(conn, answer)
        assert conn.execute(text("SELECT kind FROM entry")).scalar() == Kind.ANSWER
