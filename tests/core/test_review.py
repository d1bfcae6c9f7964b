"""The review's pure parts: section keys, term -> due date, overdue ordering, record metrics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import IncidentFacts, Met
from commander.core.deadlines import DeadlineKind, compute_deadlines
from commander.core.errors import ValidationError
from commander.core.policy import Phase, Severity, Status
from commander.core.review import (
    REVIEW_KEYS,
    REVIEW_SECTIONS,
    ActionItem,
    add_months,
    default_due,
    overdue_first,
    parse_term,
)
from commander.core.review_metrics import compute_metrics, format_duration

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_sections_follow_the_procedure_with_stable_keys() -> None:
    assert [title for title, _ in REVIEW_SECTIONS] == [
        "Incident Summary",
        "Root Cause",
        "Resolution",
        "Root Cause Analysis",
        "Review Agenda",
    ]
    assert REVIEW_KEYS[:4] == (
        "services_affected",
        "customer_impact",
        "users_affected",
        "revenue_impact",
    )
    assert "what_we_will_change" in REVIEW_KEYS and "agenda_action_items" in REVIEW_KEYS
    assert len(set(REVIEW_KEYS)) == len(REVIEW_KEYS) == 21


@pytest.mark.parametrize(
    ("term", "today", "due"),
    [
        ("short", date(2026, 11, 28), date(2026, 12, 12)),
        ("medium", date(2026, 11, 28), date(2027, 2, 28)),
        ("long", date(2026, 11, 28), date(2027, 5, 28)),
        ("medium", date(2026, 11, 30), date(2027, 2, 28)),  # no 30 Feb: the month's last day
        ("Long-term", date(2026, 8, 31), date(2027, 2, 28)),
    ],
)
def test_the_term_gives_the_due_date_at_the_end_of_its_span(term, today, due) -> None:
    assert default_due(term, today) == due


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 12, 15), 13) == date(2028, 1, 15)


def test_an_unknown_term_is_refused() -> None:
    with pytest.raises(ValidationError, match="short, medium or long"):
        parse_term("soonish")


def _item(title: str, due: date, status: str = "open") -> ActionItem:
    return ActionItem(title, "inc", title, "", "short", due, status, "", None, T0)


def test_overdue_items_come_first_then_open_by_due_then_finished() -> None:
    today = date(2026, 12, 10)
    items = [
        _item("later", date(2026, 12, 20)),
        _item("done long ago", date(2026, 11, 1), "done"),
        _item("overdue a bit", date(2026, 12, 9)),
        _item("due today", date(2026, 12, 10)),
        _item("overdue most", date(2026, 12, 1), "in_progress"),
        _item("cancelled", date(2026, 12, 2), "cancelled"),
    ]
    ordered = [item.title for item in overdue_first(items, today)]
    assert ordered == [
        "overdue most",
        "overdue a bit",
        "due today",
        "later",
        "done long ago",
        "cancelled",
    ]
    assert not _item("due today", today).is_overdue(today)
    assert not _item("done", date(2020, 1, 1), "done").is_overdue(today)


def test_metrics_come_from_status_phase_and_acknowledgement() -> None:
    metrics = compute_metrics(
        declared_at=T0,
        status_changes=[(at(20), Status.IDENTIFIED), (at(50), Status.MONITORING)],
        phase_changes=[(at(30), Phase.CONTAINMENT), (at(45), Phase.RESOLUTION)],
        acknowledged_at=at(7),
    )
    assert metrics.time_to_acknowledge == timedelta(minutes=7)
    assert metrics.mitigated_at == at(45)  # the phase reached resolution before monitoring
    assert metrics.resolved_at is None and metrics.duration is None  # not resolved: no guess
    assert format_duration(metrics.duration) == "not recorded"


def test_a_reopened_incident_is_resolved_at_its_last_resolution() -> None:
    metrics = compute_metrics(
        declared_at=T0,
        status_changes=[
            (at(60), Status.RESOLVED),
            (at(90), Status.INVESTIGATING),
            (at(150), Status.RESOLVED),
            (at(600), Status.CLOSED),
        ],
    )
    assert metrics.resolved_at == at(150)
    assert metrics.duration == timedelta(hours=2, minutes=30)
    assert metrics.mitigated_at == at(60)
    assert metrics.acknowledged_at is None and metrics.time_to_acknowledge is None
    assert format_duration(metrics.duration) == "2 h 30 min"
    assert format_duration(timedelta(days=3, hours=4, minutes=5)) == "3 d 4 h"


def test_deadlines_met_on_time_late_and_logged_as_missed() -> None:
    facts = IncidentFacts(
        declared_at=T0,
        severity_changes=[(T0, Severity.P1)],
        status_changes=[(at(200), Status.RESOLVED)],
        acknowledged_at=at(10),  # within the P1's 30 minutes
        met={DeadlineKind.ESCALATION: Met(at(75))},  # management notified 15 min late
    )
    deadlines = compute_deadlines(facts, at(300), hours=BusinessHours())
    metrics = compute_metrics(
        declared_at=T0,
        status_changes=facts.status_changes,
        acknowledged_at=facts.acknowledged_at,
        deadlines=deadlines,
        missed=["Internal update", "Internal update", "Management notification"],
    )
    assert "Acknowledge" in metrics.deadlines_met
    assert "Management notification" not in metrics.deadlines_met
    assert metrics.deadlines_missed[:2] == ("Internal update (2x)", "Management notification")
    assert "Customer communication" in metrics.deadlines_missed  # never sent: overdue
    assert metrics.to_json()["duration_seconds"] == 200 * 60


def test_a_back_filled_alert_before_the_declaration_starts_the_clock() -> None:
    metrics = compute_metrics(
        declared_at=at(5),
        status_changes=[(at(105), Status.RESOLVED)],
        acknowledged_at=at(3),
        first_entry_at=at(0),
    )
    assert metrics.started_at == T0
    assert metrics.time_to_acknowledge == timedelta(minutes=3)
    assert metrics.duration == timedelta(minutes=105)
