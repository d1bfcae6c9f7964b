"""Impact samples: metric names, values each metric can take, times of day and pasted
``time,value`` rows with every refused row named by line and reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from commander.core.errors import ValidationError
from commander.core.impact import (
    PASTE_MAX_ROWS,
    Metric,
    Sample,
    check_value,
    parse_metric,
    parse_rows,
    parse_time,
    parse_value,
)

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
BERLIN = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("customers_pct", Metric.CUSTOMERS_PCT),
        (" Customers-PCT ", Metric.CUSTOMERS_PCT),
        ("error rate", Metric.ERROR_RATE),
        ("LATENCY_MS", Metric.LATENCY_MS),
    ],
)
def test_a_metric_is_read_loosely(text: str, metric: Metric) -> None:
    assert parse_metric(text) is metric


def test_an_unknown_metric_names_every_known_one() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_metric("uptime")
    assert str(caught.value) == (
        "Unknown impact metric 'uptime': use one of customers_pct, customers, error_rate, "
        "latency_ms, partners, revenue."
    )


def test_each_metric_has_a_label_and_unit() -> None:
    assert (Metric.LATENCY_MS.label, Metric.LATENCY_MS.unit) == ("Latency (p95)", "ms")
    assert (Metric.CUSTOMERS_PCT.label, Metric.CUSTOMERS_PCT.unit) == ("Customers affected", "%")


def test_values_within_range_are_taken_as_floats() -> None:
    assert check_value(Metric.CUSTOMERS_PCT, 100) == 100.0
    assert isinstance(check_value(Metric.CUSTOMERS, 3), float)
    assert check_value(Metric.CUSTOMERS, 0) == 0.0
    assert check_value(Metric.LATENCY_MS, 4500.5) == 4500.5


@pytest.mark.parametrize(
    ("metric", "value", "message"),
    [
        (Metric.CUSTOMERS, -1.0, "Customers affected cannot be negative (-1)."),
        (Metric.ERROR_RATE, 100.5, "Error rate is a percentage: 100.5 is above 100."),
        (Metric.LATENCY_MS, float("nan"), "Latency (p95): nan is not a number."),
        (Metric.REVENUE, float("inf"), "Revenue impact (est.): inf is not a number."),
    ],
)
def test_values_a_metric_cannot_take_are_refused(
    metric: Metric, value: float, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        check_value(metric, value)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "value"), [("42", 42.0), (" 1,250 ", 1250.0), ("37.5%", 37.5), ("-3", -3.0)]
)
def test_a_value_is_read_with_thousands_separators_and_a_percent_sign(
    text: str, value: float
) -> None:
    assert parse_value(text) == value


def test_a_value_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(" lots ")
    assert str(caught.value) == "'lots' is not a number."


def test_a_time_of_day_is_today_in_the_users_zone() -> None:
    assert parse_time("10:30", now=NOW, zone=BERLIN) == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    assert parse_time("10:30:15", now=NOW, zone=BERLIN) == datetime(
        2026, 11, 28, 9, 30, 15, tzinfo=UTC
    )


def test_a_time_of_day_just_ahead_is_today_and_further_ahead_is_yesterday() -> None:
    assert parse_time("11:05", now=NOW, zone=BERLIN) == datetime(2026, 11, 28, 10, 5, tzinfo=UTC)
    assert parse_time("11:06", now=NOW, zone=BERLIN) == datetime(2026, 11, 27, 10, 6, tzinfo=UTC)


def test_an_iso_time_is_taken_as_written() -> None:
    assert parse_time("2026-11-27T08:00:00Z", now=NOW, zone=BERLIN) == datetime(
        2026, 11, 27, 8, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "24:00 is not a time of day."),
        ("10:60", "10:60 is not a time of day."),
        ("10:00:60", "10:00:60 is not a time of day."),
        ("soon", "'soon' is not a time (HH:MM or ISO-8601)."),
    ],
)
def test_what_is_not_a_time_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_time(text, now=NOW, zone=UTC)
    assert str(caught.value) == message


def test_pasted_rows_take_any_separator_and_skip_a_header() -> None:
    text = "time,value\n09:00,10\n09:10\t20%\n\n09:20;30\n"
    result = parse_rows(text, Metric.CUSTOMERS_PCT, now=NOW, zone=UTC)
    assert result.samples == [
        Sample(datetime(2026, 11, 28, 9, 0, tzinfo=UTC), 10.0),
        Sample(datetime(2026, 11, 28, 9, 10, tzinfo=UTC), 20.0),
        Sample(datetime(2026, 11, 28, 9, 20, tzinfo=UTC), 30.0),
    ]
    assert result.skipped == []


def test_every_bad_row_is_named_with_its_line_and_reason() -> None:
    text = "09:00,10\nno separator\n09:10,abc\n09:20,150\n2026-11-28T11:00:00Z,5\n"
    result = parse_rows(text, Metric.ERROR_RATE, now=NOW, zone=UTC)
    assert result.samples == [Sample(datetime(2026, 11, 28, 9, 0, tzinfo=UTC), 10.0)]
    assert result.skipped == [
        (2, "expected time,value"),
        (3, "'abc' is not a number."),
        (4, "Error rate is a percentage: 150 is above 100."),
        (5, "in the future"),
    ]


def test_a_first_row_with_digits_is_a_bad_row_not_a_header() -> None:
    result = parse_rows("t1,v2\n", Metric.CUSTOMERS, now=NOW, zone=UTC)
    assert result.samples == []
    assert result.skipped == [(1, "'t1' is not a time (HH:MM or ISO-8601).")]


def test_too_many_rows_are_refused_before_reading() -> None:
    text = "09:00,1\n" * (PASTE_MAX_ROWS + 1)
    with pytest.raises(ValidationError) as caught:
        parse_rows(text, Metric.CUSTOMERS, now=NOW, zone=UTC)
    assert str(caught.value) == "20,001 rows pasted; the limit is 20,000."
