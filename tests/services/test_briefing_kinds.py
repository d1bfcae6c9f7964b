"""The handoff briefing puts what the incoming IC must not miss first: the questions still
open (with how long they have waited) and the events the team marked key."""

from __future__ import annotations

from datetime import timedelta

from commander.core.briefing import NO_KEY_EVENTS, NO_OPEN_QUESTIONS
from commander.core.business_hours import BusinessHours
from commander.services.briefing import BriefingService
from commander.services.deadlines import DeadlineService
from commander.services.roster import RosterService


def _briefing(workspace) -> BriefingService:  # type: ignore[no-untyped-def]
    deadlines = DeadlineService(workspace, hours=BusinessHours())
    return BriefingService(workspace, RosterService(workspace), deadlines)


def test_open_questions_and_key_events_come_before_the_situation(
    incidents, workspace, clock
) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="API down", severity="P1").incident.id
    clock.advance(timedelta(minutes=2))
    incidents.log_quick(incident_id, "? is the replica lagging")
    clock.advance(timedelta(minutes=3))
    answered, _ = incidents.log_quick(incident_id, "? is it DNS")
    incidents.log(incident_id, "no, resolvers fine", answers=answered.id)
    decision, _ = incidents.log_quick(incident_id, "d: @bob roll back to 1.42")
    incidents.mark_key(decision.id)
    noise, _ = incidents.log_quick(incident_id, "o: struck key event")
    incidents.mark_key(noise.id)
    incidents.strike(noise.id, "wrong incident")
    clock.advance(timedelta(minutes=10))
    text = _briefing(workspace).render(incident_id)
    first = text.index("## Open questions and key events")
    assert first < text.index("## 1. Situation")
    head = text[first : text.index("## 1. Situation")]
    assert "- 10:02 (open 13 min): is the replica lagging — asked by alice" in head
    assert "is it DNS" not in head  # answered: closed
    assert "| 10:05 | ◆ decision (bob) | roll back to 1.42 |  |" in head
    assert "struck key event" not in head
    actions = text[text.index("## 2. Actions so far") : text.index("## 3.")]
    assert "★ roll back to 1.42" in actions  # the key mark also in the running table


def test_nothing_open_and_nothing_key_says_so(incidents, workspace) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="API down", severity="P2").incident.id
    text = _briefing(workspace).render(incident_id)
    assert NO_OPEN_QUESTIONS in text and NO_KEY_EVENTS in text
