"""The app's one source of time: a fake clock moved by hand, a scaled exercise clock, and
times stored as milliseconds and written as ISO-8601 UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from commander.core.clock import FakeClock, ScaledClock, from_ms, iso, parse_iso, to_ms

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_a_fake_clock_starts_at_its_default_or_given_time() -> None:
    assert FakeClock().now() == T0
    assert FakeClock(datetime(2026, 1, 1, tzinfo=UTC)).now() == datetime(2026, 1, 1, tzinfo=UTC)


def test_the_clock_fixture_is_a_fake_clock(clock: FakeClock) -> None:
    start = clock.now()
    clock.advance(0)
    assert clock.now() == start


def test_a_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(T0)
    assert clock.now() == clock.now() == T0
    clock.advance(90)
    assert clock.now() == T0 + timedelta(seconds=90)
    clock.advance(timedelta(minutes=1))
    assert clock.now() == T0 + timedelta(seconds=150)
    clock.advance(0.5)
    assert clock.now() == T0 + timedelta(seconds=150.5)
    clock.set(T0)
    assert clock.now() == T0


def test_milliseconds_round_trip() -> None:
    when = datetime(2026, 11, 28, 10, 0, 0, 123_000, tzinfo=UTC)
    assert to_ms(when) == 1_795_860_000_123
    assert from_ms(1_795_860_000_123) == when
    assert from_ms(0) == datetime(1970, 1, 1, tzinfo=UTC)


def test_to_ms_drops_microseconds_below_a_millisecond() -> None:
    assert to_ms(datetime(2026, 11, 28, 10, 0, 0, 999, tzinfo=UTC)) == to_ms(T0)


def test_iso_is_utc_with_a_z_and_milliseconds() -> None:
    assert iso(T0) == "2026-11-28T10:00:00.000Z"
    local = datetime(2026, 11, 28, 11, 0, 0, 456_789, tzinfo=timezone(timedelta(hours=1)))
    assert iso(local) == "2026-11-28T10:00:00.456Z"


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-28T10:00:00Z",
        "2026-11-28t10:00:00z",
        " 2026-11-28T10:00:00.000Z ",
        "2026-11-28T11:00:00+01:00",
        "2026-11-28T10:00:00",
        "2026-11-28 10:00",
    ],
)
def test_iso_times_are_read_as_utc_and_naive_ones_taken_as_utc(text: str) -> None:
    parsed = parse_iso(text)
    assert parsed == T0
    assert parsed.tzinfo is UTC


def test_a_text_that_is_not_a_time_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Invalid isoformat string"):
        parse_iso("yesterday")


def test_a_scaled_clock_runs_faster_from_its_origin() -> None:
    base = FakeClock(T0)
    scaled = ScaledClock(base, origin=T0, speed=60)
    assert scaled.now() == T0
    base.advance(30)
    assert scaled.now() == T0 + timedelta(minutes=30)


def test_a_stopped_scaled_clock_keeps_the_moment_it_stopped() -> None:
    base = FakeClock(T0)
    scaled = ScaledClock(base, origin=T0, speed=10, stop=T0 + timedelta(seconds=6))
    base.advance(3)
    assert scaled.now() == T0 + timedelta(seconds=30)
    base.advance(60)
    assert scaled.now() == T0 + timedelta(minutes=1)
