"""An immediate deadline (a P0's executive notification) is "due now", never missed at once."""

from __future__ import annotations

from datetime import UTC

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.deadlines import DeadlineKind, DeadlineState
from commander.services.deadlines import DeadlineService
from commander.services.review import ReviewService


@pytest.fixture
def deadlines(workspace) -> DeadlineService:
    return DeadlineService(workspace, hours=BusinessHours(zone=UTC))


def _escalation(deadlines: DeadlineService, incident_id: str):
    return next(d for d in deadlines.deadlines(incident_id) if d.key is DeadlineKind.ESCALATION)


def _missed(incidents, incident_id: str) -> list[str]:
    return [e.event for e in incidents.timeline(incident_id) if e.event.startswith("Deadline mi")]


def test_missed_only_after_the_grace_and_dated_then(workspace, incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="Checkout down", severity="P0").incident
    for _second in range(0, 5 * 60, 30):  # the timers panel ticks through the grace
        deadline = _escalation(deadlines, incident.id)
        assert deadline.state is DeadlineState.DUE_SOON and deadline.in_grace
        assert not deadlines.log_overdue(incident.id, deadline)
        clock.advance(30)
    clock.advance(61)
    deadline = _escalation(deadlines, incident.id)
    assert deadline.state is DeadlineState.OVERDUE
    assert deadlines.log_overdue(incident.id, deadline)
    assert _missed(incidents, incident.id) == [
        "Deadline missed: Executive notification was due 10:00, missed at 10:05"
    ]
    entry = next(e for e in incidents.timeline(incident.id) if e.event.startswith("Deadline mi"))
    assert entry.occurred_at == deadline.missed_at  # when it was missed, not at declaration
    metrics = ReviewService(workspace).metrics(incident.id)
    assert "Executive notification" in metrics.deadlines_missed


def test_met_within_the_grace_is_met_in_time(workspace, incidents, deadlines, clock) -> None:
    incident = incidents.declare(title="Checkout down", severity="P0").incident
    clock.advance(4 * 60)
    deadlines.mark_met(incident.id, DeadlineKind.ESCALATION, how="CTO called")
    clock.advance(60 * 60)
    assert not deadlines.log_overdue(incident.id, _escalation(deadlines, incident.id))
    assert _missed(incidents, incident.id) == []
    metrics = ReviewService(workspace).metrics(incident.id)
    assert "Executive notification" in metrics.deadlines_met
    assert "Executive notification" not in metrics.deadlines_missed
