"""The stored times deadlines are computed from: a severity at declaration is required and
every time must carry a zone, whichever field it is in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from commander.core.deadline_facts import (
    TYPE_FIELD,
    IncidentFacts,
    Met,
    SendFailure,
    Snooze,
    require_aware,
)
from commander.core.errors import ValidationError
from commander.core.policy import Severity, Status

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
NAIVE = datetime(2026, 11, 28, 10, 30)


def test_facts_with_zoned_times_are_kept_as_given() -> None:
    later = datetime(2026, 11, 28, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    facts = IncidentFacts(
        declared_at=T0,
        severity_changes=[(T0, Severity.P1)],
        status_changes=[(later, Status.RESOLVED)],
        met={"response": Met(later, by="alice", how="paged")},
        field_changes=[(later, TYPE_FIELD, "security")],
    )
    assert facts.severity_changes == [(T0, Severity.P1)]
    assert facts.met["response"] == Met(later, "alice", "paged")
    assert facts.acknowledged_at is None
    assert facts.partners_affected is False
    assert facts.field_changes[0][1] == "type"


def test_an_incident_needs_a_severity_at_declaration() -> None:
    with pytest.raises(ValidationError) as caught:
        IncidentFacts(declared_at=T0, severity_changes=[])
    assert str(caught.value) == "An incident needs a severity at declaration."


@pytest.mark.parametrize(
    "changes",
    [
        {"declared_at": NAIVE},
        {"severity_changes": [(T0, Severity.P1), (NAIVE, Severity.P0)]},
        {"status_changes": [(NAIVE, Status.RESOLVED)]},
        {"partner_changes": [(NAIVE, True)]},
        {"internal_updates": [T0, NAIVE]},
        {"met": {"response": Met(NAIVE)}},
        {"snoozed": {"response": Snooze(NAIVE, "lunch")}},
        {"send_failures": {"customer_comms": SendFailure(NAIVE, "timeout")}},
        {"field_changes": [(NAIVE, "tier", "enterprise")]},
        {"acknowledged_at": NAIVE},
    ],
)
def test_a_time_without_a_zone_is_refused_in_every_field(changes: dict[str, Any]) -> None:
    values: dict[str, Any] = {"declared_at": T0, "severity_changes": [(T0, Severity.P1)]}
    with pytest.raises(ValidationError) as caught:
        IncidentFacts(**{**values, **changes})
    assert str(caught.value) == "Expected a time with a zone, got 2026-11-28T10:30:00."


def test_require_aware_takes_any_zone() -> None:
    require_aware(T0)
    require_aware(datetime(2026, 11, 28, 10, 0, tzinfo=timezone(timedelta(hours=-5))))
    with pytest.raises(ValidationError, match="Expected a time with a zone"):
        require_aware(NAIVE)


def test_the_small_records_default_to_blank() -> None:
    assert Met(T0) == Met(T0, None, "")
    assert Snooze(T0) == Snooze(T0, "", None)
    assert SendFailure(T0).reason == ""
