"""The timeline's writes: entries with their kind, answers linked to questions, backfill,
strikes, amendments and key marks, each refused in one sentence when it cannot be."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.entry_kinds import Kind
from commander.core.errors import FutureTimeError, NotFoundError, ValidationError
from commander.services.incidents import IncidentService


@pytest.fixture
def incident_id(incidents: IncidentService) -> str:
    return incidents.declare(title="API down", severity="P1").incident.id


def test_log_cleans_the_text_and_stamps_the_clock(incidents, incident_id, clock) -> None:
    clock.advance(timedelta(minutes=3))
    entry, changes = incidents.log(incident_id, "  p99 at 4 s  ", action="scaled", owner="@bob")
    assert (entry.event, entry.action, entry.owner) == ("p99 at 4 s", "scaled", "bob")
    assert entry.kind == Kind.OBSERVATION and entry.occurred_at == clock.now()
    assert entry.author == "alice" and changes.entry_ids == {incident_id: {entry.id}}
    assert incidents.timeline(incident_id)[-1].id == entry.id


def test_a_decision_without_a_decider_is_the_authors(incidents, incident_id) -> None:
    mine, _ = incidents.log(incident_id, "roll back", kind=Kind.DECISION)
    assert mine.attributed_to == "alice"
    theirs, _ = incidents.log(incident_id, "roll back", kind=Kind.DECISION, attributed_to="@bob")
    assert theirs.attributed_to == "bob"


def test_an_answer_links_to_an_open_question_of_the_same_incident(incidents, incident_id) -> None:
    question, _ = incidents.log(incident_id, "is it DNS", kind=Kind.QUESTION)
    answer, _ = incidents.log(incident_id, "no", answers=question.id)
    assert answer.kind == Kind.ANSWER and answer.answers == question.id
    with pytest.raises(ValidationError, match="must name the question it answers"):
        incidents.log(incident_id, "no", kind=Kind.ANSWER)
    with pytest.raises(ValidationError, match="not a question; only questions are answered"):
        incidents.log(incident_id, "no", answers=answer.id)
    other = incidents.declare(title="Other", severity="P3").incident.id
    with pytest.raises(NotFoundError, match=f"No question {question.id} in this incident"):
        incidents.log(other, "no", answers=question.id)
    incidents.strike(question.id, "asked twice")
    with pytest.raises(ValidationError, match="is struck through; it needs no answer"):
        incidents.log(incident_id, "yes", answers=question.id)


def test_bad_entries_are_refused(incidents, incident_id, clock) -> None:
    with pytest.raises(ValidationError, match="Event"):
        incidents.log(incident_id, "   ")
    with pytest.raises(NotFoundError, match="No incident with id missing"):
        incidents.log("missing", "x")
    with pytest.raises(ValidationError, match="is in the future; log events that have happened"):
        incidents.log(incident_id, "x", occurred_at=clock.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="back-fill may go back at most"):
        incidents.log(incident_id, "x", occurred_at=clock.now() - timedelta(days=400))


def test_a_backfilled_entry_sorts_by_its_own_time(incidents, incident_id, clock) -> None:
    clock.advance(timedelta(minutes=30))
    incidents.log(incident_id, "now")
    when = clock.now() - timedelta(minutes=20)
    entry, _ = incidents.log(incident_id, "first page", occurred_at=when)
    assert entry.occurred_at == when
    events = [e.event for e in incidents.timeline(incident_id)]
    assert events.index("first page") < events.index("now")


def test_quick_entry_reads_prefix_time_and_owner(incidents, incident_id, clock) -> None:
    clock.advance(timedelta(minutes=10))
    entry, _ = incidents.log_quick(incident_id, "10:04 a: restarted pods @bob")
    assert (entry.kind, entry.event, entry.owner) == (Kind.ACTION, "restarted pods", "bob")
    assert entry.occurred_at.astimezone(incidents.workspace.zone).strftime("%H:%M") == "10:04"
    picked, _ = incidents.log_quick(incident_id, "o: pods restarted", kind=Kind.ACTION, owner="cy")
    assert (picked.kind, picked.owner) == (Kind.ACTION, "cy")  # the picker and field win


def test_a_time_later_today_says_yesterday_is_before_the_declaration(
    incidents, incident_id
) -> None:
    with pytest.raises(FutureTimeError, match="before this incident was declared"):
        incidents.log_quick(incident_id, "11:30 o: later")


def test_strike_needs_a_reason_and_an_entry(incidents, incident_id) -> None:
    entry, _ = incidents.log(incident_id, "wrong incident")
    with pytest.raises(ValidationError, match="Reason"):
        incidents.strike(entry.id, " ")
    with pytest.raises(NotFoundError, match="No timeline entry with id nope"):
        incidents.strike("nope", "why")
    incidents.strike(entry.id, "belongs to INC-2")
    struck = incidents.timeline(incident_id)[-1]
    assert struck.struck and struck.strike_reason == "belongs to INC-2"


def test_amend_keeps_the_original_and_the_action_unless_given(incidents, incident_id) -> None:
    entry, _ = incidents.log(incident_id, "p99 at 4s", action="paged")
    incidents.amend(entry.id, event="p99 at 4 s")
    amended = incidents.timeline(incident_id)[-1]
    assert (amended.event, amended.amended_event) == ("p99 at 4s", "p99 at 4 s")
    assert amended.amended_action == "paged"
    incidents.amend(entry.id, event="p99 at 4 s", action="paged bob")
    assert incidents.timeline(incident_id)[-1].amended_action == "paged bob"
    with pytest.raises(ValidationError, match="Amended event"):
        incidents.amend(entry.id, event="")


def test_key_marks_write_only_when_they_change(incidents, incident_id) -> None:
    entry, _ = incidents.log(incident_id, "rolled back")
    assert incidents.mark_key(entry.id).entry_ids == {incident_id: {entry.id}}
    assert not incidents.mark_key(entry.id)  # already key: nothing written
    assert incidents.timeline(incident_id)[-1].key_event
    incidents.toggle_key(entry.id)
    assert not incidents.timeline(incident_id)[-1].key_event
    with pytest.raises(NotFoundError, match="No timeline entry"):
        incidents.toggle_key("nope")
