"""The review's numbers come from the record only: a time it does not hold is "not recorded"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import IncidentFacts, Met
from commander.core.deadlines import DeadlineKind, compute_deadlines
from commander.core.policy import Phase, Severity, Status
from commander.core.review_metrics import compute_metrics, format_duration

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


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


def test_format_duration_in_minutes_hours_and_days() -> None:
    assert format_duration(timedelta(0)) == "0 min"
    assert format_duration(timedelta(minutes=59, seconds=59)) == "59 min"
    assert format_duration(timedelta(hours=2, minutes=5)) == "2 h 05 min"
    assert format_duration(timedelta(hours=23, minutes=59)) == "23 h 59 min"
    assert format_duration(timedelta(days=1)) == "1 d 0 h"


def test_a_change_stamped_before_the_declaration_counts_from_the_declaration() -> None:
    metrics = compute_metrics(
        declared_at=T0,
        status_changes=[(at(-30), Status.MONITORING), (at(40), Status.RESOLVED)],
    )
    assert metrics.mitigated_at == T0
    assert metrics.time_to_mitigate == timedelta(0)
    assert metrics.time_to_resolve == timedelta(minutes=40)


def test_the_post_incident_phase_alone_marks_mitigation() -> None:
    metrics = compute_metrics(
        declared_at=T0,
        phase_changes=[(at(10), Phase.CONTAINMENT), (at(80), Phase.POST_INCIDENT)],
    )
    assert metrics.mitigated_at == at(80)
    assert metrics.resolved_at is None


def test_an_acknowledgement_before_the_start_is_not_a_negative_time() -> None:
    metrics = compute_metrics(declared_at=T0, acknowledged_at=at(-5))
    assert metrics.acknowledged_at == at(-5)
    assert metrics.time_to_acknowledge == timedelta(0)


def test_misses_keep_first_seen_order_and_count_repeats() -> None:
    metrics = compute_metrics(
        declared_at=T0, missed=["Internal update", "Customer update", "Internal update"] * 2
    )
    assert metrics.deadlines_missed == ("Internal update (4x)", "Customer update (2x)")
    assert metrics.deadlines_met == ()
