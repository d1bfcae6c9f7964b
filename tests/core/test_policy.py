from datetime import timedelta

import pytest

from commander.core.errors import ValidationError
from commander.core.policy import (
    SEVERITY_LEVELS,
    Phase,
    Severity,
    Status,
    parse_phase,
    parse_severity,
    parse_status,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P0", Severity.P0),
        ("p1", Severity.P1),
        (" 2 ", Severity.P2),
        ("low", Severity.P3),
        ("Critical", Severity.P0),
    ],
)
def test_parse_severity_accepts_the_forms_people_type(text: str, expected: Severity) -> None:
    assert parse_severity(text) is expected


@pytest.mark.parametrize("text", ["P4", "", "sev1", "urgent"])
def test_parse_severity_refuses_unknown_levels_with_the_choices(text: str) -> None:
    with pytest.raises(ValidationError, match="P0, P1, P2 or P3"):
        parse_severity(text)


def test_response_times_are_the_procedures() -> None:
    assert SEVERITY_LEVELS[Severity.P0].response_time == timedelta(minutes=15)
    assert SEVERITY_LEVELS[Severity.P1].response_time == timedelta(minutes=30)
    assert SEVERITY_LEVELS[Severity.P2].response_time == timedelta(hours=2)
    assert SEVERITY_LEVELS[Severity.P3].response_time is None
    assert Severity.P3.level.response_time_text == "Next business day"
    assert Severity.P0.level.escalation == "Immediate executive notification"
    assert "Partial service outage (>25% customers affected)" in Severity.P1.level.examples


def test_every_severity_has_a_level_and_ranks_in_order() -> None:
    assert [s.rank for s in Severity] == [0, 1, 2, 3]
    assert set(SEVERITY_LEVELS) == set(Severity)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("containment/mitigation", Phase.CONTAINMENT),
        ("Resolution & Recovery", Phase.RESOLUTION),
        ("post-incident", Phase.POST_INCIDENT),
        ("diagnosis", Phase.INVESTIGATION),
    ],
)
def test_parse_phase_accepts_the_procedures_names(text: str, expected: Phase) -> None:
    assert parse_phase(text) is expected


def test_parse_status_and_activity() -> None:
    assert parse_status("Monitoring") is Status.MONITORING
    assert Status.MONITORING.is_active
    assert not Status.RESOLVED.is_active
    with pytest.raises(ValidationError, match="investigating"):
        parse_status("fixed")
    with pytest.raises(ValidationError, match="detection"):
        parse_phase("phase 9")
