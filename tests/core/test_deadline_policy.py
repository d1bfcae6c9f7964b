"""The deadline policy table: each procedure rule read as the engine reads it, one rule per
severity and kind, and a rule's due time from its anchor."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.deadline_policy import (
    AFTER_RESOLUTION,
    DEADLINE_POLICY,
    IMMEDIATE_GRACE,
    DeadlineKind,
    DeadlineRule,
    policy_of,
    rule_from_spec,
)
from commander.core.errors import ValidationError
from commander.core.policy import Severity
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import DeadlineSpec, Duration, parse_duration

HOURS = BusinessHours()  # Mon-Fri 09-17 UTC
FRIDAY = datetime(2026, 11, 27, 16, 59, tzinfo=UTC)


def test_an_offset_rule_is_read_with_its_grace_and_options() -> None:
    spec = DeadlineSpec(
        key="escalation",
        name="Executive notification",
        anchor="severity_reached",
        source="immediate",
        offset=parse_duration("0m"),
        grace=parse_duration("5m"),
        audience="Executives",
        tightens=True,
        met_by=("marked", "sent"),
        cite="§4",
    )
    assert rule_from_spec(spec) == DeadlineRule(
        "Executive notification",
        "immediate",
        offset=timedelta(0),
        grace=timedelta(minutes=5),
        anchor="severity_reached",
        tightens=True,
        met_by=("marked", "sent"),
        audience="Executives",
        cite="§4",
    )


def test_a_cadence_stands_for_the_offset_and_months_are_kept_apart() -> None:
    spec = DeadlineSpec("review", "Review", "resolved", cadence=parse_duration("1mo"))
    rule = rule_from_spec(spec)
    assert (rule.offset, rule.months) == (timedelta(0), 1)
    assert rule.grace == timedelta(0)


def test_a_window_is_read_as_its_exact_span() -> None:
    spec = DeadlineSpec(
        "monitoring",
        "Monitoring",
        "resolved",
        offset=Duration(exact=timedelta(hours=24)),
        window=Duration(exact=timedelta(hours=24)),
    )
    assert rule_from_spec(spec).window == timedelta(hours=24)


def test_a_rule_not_applicable_has_no_time_even_with_an_offset() -> None:
    spec = DeadlineSpec(
        "partner", "Partners", "declared", offset=parse_duration("1h"), not_applicable="none"
    )
    rule = rule_from_spec(spec)
    assert (rule.offset, rule.months, rule.applies) == (None, 0, False)
    assert rule.not_applicable == "none"


def test_due_is_the_anchor_plus_the_offset_and_calendar_months() -> None:
    anchor = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    assert DeadlineRule("x", "", offset=timedelta(hours=2)).due_from(anchor, HOURS) == datetime(
        2026, 1, 31, 12, 0, tzinfo=UTC
    )
    monthly = DeadlineRule("x", "", offset=timedelta(days=1), months=1)
    assert monthly.due_from(anchor, HOURS) == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def test_next_business_day_is_the_next_business_start() -> None:
    rule = DeadlineRule("Acknowledge", "", next_business_day=True)
    assert rule.due_from(FRIDAY, HOURS) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_a_rule_without_a_time_cannot_give_a_due_time() -> None:
    rule = DeadlineRule("Escalation", "", not_applicable="normal processes")
    with pytest.raises(ValidationError) as caught:
        rule.due_from(FRIDAY, HOURS)
    assert str(caught.value) == "The policy gives no time for 'Escalation'."


def test_the_built_in_policy_has_every_severity_and_kind() -> None:
    assert set(DEADLINE_POLICY) == set(Severity)
    assert all(list(row) == list(DeadlineKind) for row in DEADLINE_POLICY.values())
    assert DEADLINE_POLICY[Severity.P1][DeadlineKind.RESPONSE].offset == timedelta(minutes=30)
    assert DEADLINE_POLICY[Severity.P3][DeadlineKind.RESPONSE].next_business_day
    assert not DEADLINE_POLICY[Severity.P3][DeadlineKind.ESCALATION].applies


def test_an_immediate_deadline_has_the_seed_files_grace() -> None:
    escalation = DEADLINE_POLICY[Severity.P0][DeadlineKind.ESCALATION]
    assert (escalation.offset, escalation.grace) == (timedelta(0), IMMEDIATE_GRACE)
    assert escalation.grace == timedelta(minutes=5)


def test_after_resolution_holds_the_deadlines_anchored_at_resolution() -> None:
    assert AFTER_RESOLUTION
    assert all(rule.anchor == "resolved" for rule in AFTER_RESOLUTION.values())
    assert DeadlineKind.RESPONSE not in AFTER_RESOLUTION


def test_policy_of_the_seed_is_the_built_in_policy() -> None:
    assert policy_of(seed_procedure()) == DEADLINE_POLICY


def test_a_procedure_without_a_rule_for_a_kind_is_refused() -> None:
    seed = seed_procedure()
    partial = replace(seed, deadlines=tuple(d for d in seed.deadlines if d.key != "escalation"))
    with pytest.raises(ValidationError) as caught:
        policy_of(partial)
    assert str(caught.value) == "The procedure has no escalation rule for P0."
