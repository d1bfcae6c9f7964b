"""An exercise scenario as data: offsets written and read back, each inject described in one
line, and a scenario's length."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.errors import ValidationError
from commander.core.scenario_model import (
    OFFSET_MAX,
    Inject,
    InjectKind,
    Scenario,
    ScenarioIncident,
    format_offset,
    parse_offset,
)


def test_offsets() -> None:
    assert parse_offset("1h30m") == timedelta(minutes=90)
    assert parse_offset("90s") == timedelta(seconds=90)
    assert format_offset(timedelta(minutes=12, seconds=30)) == "12m30s"
    assert format_offset(timedelta(0)) == "0m"
    with pytest.raises(ValidationError, match="more than 24 hours"):
        parse_offset("25h")


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("0m", timedelta(0)),
        ("5m", timedelta(minutes=5)),
        (" 1h 2m 3s ", timedelta(hours=1, minutes=2, seconds=3)),
        ("2h", timedelta(hours=2)),
        ("24h", OFFSET_MAX),
        ("90m", timedelta(minutes=90)),
    ],
)
def test_an_offset_is_read_in_hours_minutes_and_seconds(text: str, offset: timedelta) -> None:
    assert parse_offset(text) == offset


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "'' is not an offset: write it like 0m, 90s, 5m or 1h30m."),
        ("5", "'5' is not an offset: write it like 0m, 90s, 5m or 1h30m."),
        ("5m1h", "'5m1h' is not an offset: write it like 0m, 90s, 5m or 1h30m."),
        ("1d", "'1d' is not an offset: write it like 0m, 90s, 5m or 1h30m."),
        (300, "300 is not an offset: write it like 0m, 90s, 5m or 1h30m."),
        ("24h1s", "'24h1s' is more than 24 hours after the start."),
    ],
)
def test_what_is_not_an_offset_is_refused(text: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_offset(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(hours=1, minutes=30), "1h30m"),
        (timedelta(hours=2), "2h"),
        (timedelta(hours=1, seconds=5), "1h5s"),
        (timedelta(seconds=45), "45s"),
        (timedelta(seconds=59.9), "59s"),
    ],
)
def test_an_offset_is_written_shortest_first(offset: timedelta, text: str) -> None:
    assert format_offset(offset) == text


def test_written_offsets_read_back() -> None:
    for seconds in (0, 1, 59, 60, 61, 3599, 3600, 5025, 86_400):
        offset = timedelta(seconds=seconds)
        assert parse_offset(format_offset(offset)) == offset


@pytest.mark.parametrize(
    ("inject", "line"),
    [
        (
            Inject(timedelta(0), InjectKind.ALERT_FIRING, alert="HighLatency"),
            "alert HighLatency fires",
        ),
        (
            Inject(timedelta(0), InjectKind.ALERT_RESOLVED, alert="HighLatency"),
            "alert HighLatency resolves",
        ),
        (
            Inject(timedelta(0), InjectKind.IMPACT, metric="customers_pct", value=30.0),
            "impact customers_pct = 30",
        ),
        (
            Inject(timedelta(0), InjectKind.IMPACT, metric="latency_ms", value=4.25),
            "impact latency_ms = 4.25",
        ),
        (
            Inject(timedelta(0), InjectKind.MESSAGE, sender="Acme support"),
            "message from Acme support",
        ),
        (
            Inject(timedelta(0), InjectKind.UNREACHABLE, role="incident_commander"),
            "the incident commander holder is unreachable",
        ),
    ],
)
def test_each_inject_is_described_in_one_line(inject: Inject, line: str) -> None:
    assert inject.describe() == line


def test_a_scenario_lasts_until_its_last_inject() -> None:
    incident = ScenarioIncident("Checkout down", "P1")
    assert Scenario("Empty", incident).length == timedelta(0)
    injects = (
        Inject(timedelta(minutes=1), InjectKind.MESSAGE, sender="a"),
        Inject(timedelta(minutes=12), InjectKind.MESSAGE, sender="b"),
    )
    assert Scenario("Two", incident, injects).length == timedelta(minutes=12)
    assert (incident.services, incident.partners_affected) == ((), False)
