"""Open questions (oldest first, with their age), answers, key events and finding an entry by
the end of its id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.entry_kinds import Kind
from commander.core.errors import AmbiguousError, NotFoundError
from commander.services.incidents import IncidentService
from commander.services.questions import SHORT_ID, QuestionService, short_id


@pytest.fixture
def questions(workspace) -> QuestionService:
    return QuestionService(workspace)


@pytest.fixture
def incident_id(incidents: IncidentService) -> str:
    return incidents.declare(title="API down", severity="P1").incident.id


def test_open_questions_are_the_unanswered_oldest_first(
    incidents, questions, incident_id, clock
) -> None:
    first, _ = incidents.log(incident_id, "replica lagging?", kind=Kind.QUESTION)
    clock.advance(timedelta(minutes=4))
    second, _ = incidents.log(incident_id, "is it DNS?", kind=Kind.QUESTION, attributed_to="bob")
    clock.advance(timedelta(minutes=3))
    answered, _ = incidents.log(incident_id, "cert expired?", kind=Kind.QUESTION)
    answer, _ = incidents.log(incident_id, "yes, at 09:58", answers=answered.id)
    found = questions.open_questions(incident_id)
    assert [q.entry.id for q in found] == [first.id, second.id]
    assert [q.age for q in found] == [timedelta(minutes=7), timedelta(minutes=3)]
    assert found[1].to_json() == {
        "id": second.id,
        "asked_at": "2026-11-28T10:04:00.000Z",
        "age_seconds": 180,
        "question": "is it DNS?",
        "asked_by": "bob",
    }
    assert [a.id for a in questions.answers_to(answered.id)] == [answer.id]
    assert questions.answers_to(first.id) == []
    later = questions.open_questions(incident_id, now=clock.now() + timedelta(hours=1))
    assert later[0].age == timedelta(hours=1, minutes=7)


def test_an_amended_question_shows_its_new_text(incidents, questions, incident_id) -> None:
    asked, _ = incidents.log(incident_id, "is it DSN?", kind=Kind.QUESTION)
    incidents.amend(asked.id, event="is it DNS?")
    [question] = questions.open_questions(incident_id)
    assert question.text == "is it DNS?" and question.to_json()["question"] == "is it DNS?"


def test_key_events_leave_out_the_struck(incidents, questions, incident_id, clock) -> None:
    decided, _ = incidents.log(incident_id, "roll back", kind=Kind.DECISION)
    clock.advance(60)
    noise, _ = incidents.log(incident_id, "wrong one")
    incidents.mark_key(noise.id)
    incidents.mark_key(decided.id)
    incidents.strike(noise.id, "other incident")
    assert [e.id for e in questions.key_events(incident_id)] == [decided.id]
    with pytest.raises(NotFoundError):
        questions.key_events("missing")
    with pytest.raises(NotFoundError):
        questions.open_questions("missing")


def test_an_entry_is_found_by_its_id_or_a_unique_end_of_it(
    incidents, questions, incident_id
) -> None:
    entry, _ = incidents.log(incident_id, "paged on-call")
    assert short_id(entry.id) == entry.id[-SHORT_ID:]
    assert questions.resolve_entry(entry.id).id == entry.id
    assert questions.resolve_entry(f"  {short_id(entry.id).upper()} ").id == entry.id
    with pytest.raises(NotFoundError, match="is not an entry id; give the id"):
        questions.resolve_entry("abc")  # too short
    with pytest.raises(NotFoundError, match="is not an entry id"):
        questions.resolve_entry("paged on-call")
    with pytest.raises(NotFoundError, match="No timeline entry with id ffffffffffff"):
        questions.resolve_entry("ffffffffffff")


def test_a_start_two_entries_share_is_ambiguous(incidents, questions, incident_id) -> None:
    one, _ = incidents.log(incident_id, "one")
    two, _ = incidents.log(incident_id, "two")
    shared = next(  # time-ordered ids: created together, they start alike
        one.id[:n] for n in range(len(one.id), 0, -1) if two.id.startswith(one.id[:n])
    )
    assert len(shared) >= 6
    with pytest.raises(AmbiguousError, match="More than one entry id contains"):
        questions.resolve_entry(shared[:6])
    assert questions.resolve_entry(two.id[:-1]).id == two.id  # a unique start
