from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commander.core.business_hours import BusinessHours
from commander.core.errors import ValidationError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local(zone: ZoneInfo, *fields: int) -> datetime:
    """A wall-clock time in ``zone``: ``local(BERLIN, 2026, 3, 27, 16, 59)``."""
    year, month, day, hour, minute, second = (*fields, 0, 0, 0)[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


def test_defaults_are_monday_to_friday_nine_to_five_utc() -> None:
    hours = BusinessHours()
    assert hours.days == frozenset({0, 1, 2, 3, 4})
    assert (hours.start, hours.end, hours.zone) == (time(9), time(17), UTC)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"days": frozenset()},
        {"days": frozenset({7})},
        {"start": time(17), "end": time(9)},
        {"start": time(9), "end": time(9)},
        {"start": time(9, tzinfo=UTC)},
    ],
)
def test_rejects_calendars_without_working_time(kwargs: dict) -> None:
    with pytest.raises(ValidationError):
        BusinessHours(**kwargs)


def test_rejects_naive_datetimes() -> None:
    with pytest.raises(ValidationError):
        BusinessHours().next_business_start(datetime(2026, 3, 6, 12))


@pytest.mark.parametrize(
    ("zone", "declared", "expected_utc"),
    [
        # Friday 16:59 -> Monday 09:00 on the wall clock, in an ordinary week...
        (BERLIN, (2026, 2, 13, 16, 59), datetime(2026, 2, 16, 8, 0, tzinfo=UTC)),
        (NEW_YORK, (2026, 2, 13, 16, 59), datetime(2026, 2, 16, 14, 0, tzinfo=UTC)),
        # ... across a spring-forward weekend (Berlin 2026-03-29, New York 2026-03-08) ...
        (BERLIN, (2026, 3, 27, 16, 59), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
        (NEW_YORK, (2026, 3, 6, 16, 59), datetime(2026, 3, 9, 13, 0, tzinfo=UTC)),
        # ... and across a fall-back weekend (Berlin 2026-10-25, New York 2026-11-01).
        (BERLIN, (2026, 10, 23, 16, 59), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),
        (NEW_YORK, (2026, 10, 30, 16, 59), datetime(2026, 11, 2, 14, 0, tzinfo=UTC)),
    ],
)
def test_friday_1659_is_due_monday_0900_local(
    zone: ZoneInfo, declared: tuple[int, ...], expected_utc: datetime
) -> None:
    hours = BusinessHours(zone=zone)
    due = hours.next_business_start(local(zone, *declared).astimezone(UTC))
    assert due == expected_utc
    assert due.tzinfo is UTC
    wall = due.astimezone(zone)
    assert (wall.weekday(), wall.hour, wall.minute) == (0, 9, 0)


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ((2026, 3, 2, 8, 0), (2026, 3, 2, 9, 0)),  # Monday before hours: same morning
        ((2026, 3, 2, 9, 0), (2026, 3, 3, 9, 0)),  # exactly at the start: strictly after
        ((2026, 3, 2, 10, 0), (2026, 3, 3, 9, 0)),  # during hours: next day
        ((2026, 3, 2, 17, 0), (2026, 3, 3, 9, 0)),  # at the end
        ((2026, 3, 7, 12, 0), (2026, 3, 9, 9, 0)),  # Saturday
    ],
)
def test_next_business_start_is_the_next_period_start(
    declared: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    hours = BusinessHours(zone=BERLIN)
    assert hours.next_business_start(local(BERLIN, *declared)) == local(BERLIN, *expected)


def test_is_within_includes_start_and_excludes_end() -> None:
    hours = BusinessHours(zone=NEW_YORK)
    assert hours.is_within(local(NEW_YORK, 2026, 3, 9, 9, 0))  # first Monday of EDT
    assert hours.is_within(local(NEW_YORK, 2026, 3, 9, 16, 59, 59))
    assert not hours.is_within(local(NEW_YORK, 2026, 3, 9, 17, 0))
    assert not hours.is_within(local(NEW_YORK, 2026, 3, 9, 8, 59, 59))
    assert not hours.is_within(local(NEW_YORK, 2026, 3, 8, 12, 0))  # Sunday


def test_custom_working_week() -> None:
    hours = BusinessHours(days=frozenset({6, 0, 1, 2, 3}), start=time(8), end=time(16), zone=UTC)
    thursday_evening = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    assert hours.next_business_start(thursday_evening) == datetime(2026, 3, 8, 8, tzinfo=UTC)


def test_a_start_inside_the_spring_forward_gap_begins_after_the_jump() -> None:
    # Berlin skips 02:00-03:00 on Sunday 2026-03-29; a Sunday shift starting 02:30 starts 03:30.
    hours = BusinessHours(days=frozenset({6}), start=time(2, 30), end=time(10), zone=BERLIN)
    start = hours.next_business_start(local(BERLIN, 2026, 3, 28, 12))
    assert start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert start.astimezone(BERLIN).hour == 3
    assert hours.is_within(start)


def test_a_day_whose_hours_fall_inside_the_gap_has_no_business_time() -> None:
    # 02:30 does not exist that night and reads as 03:30, after the 03:15 end.
    hours = BusinessHours(days=frozenset({6}), start=time(2, 30), end=time(3, 15), zone=BERLIN)
    assert hours.period_on(date(2026, 3, 29)) is None
    assert hours.next_business_start(local(BERLIN, 2026, 3, 28, 12)) == local(
        BERLIN, 2026, 4, 5, 2, 30
    )


def test_hours_wholly_inside_the_gap_move_with_the_clock() -> None:
    hours = BusinessHours(days=frozenset({6}), start=time(2, 10), end=time(2, 50), zone=BERLIN)
    assert hours.period_on(date(2026, 3, 29)) == (
        local(BERLIN, 2026, 3, 29, 3, 10),
        local(BERLIN, 2026, 3, 29, 3, 50),
    )


def test_fall_back_day_is_one_hour_longer_for_a_night_shift() -> None:
    hours = BusinessHours(days=frozenset({6}), start=time(0), end=time(8), zone=BERLIN)
    begins, ends = hours.period_on(date(2026, 10, 25)) or (None, None)
    assert begins is not None and ends is not None
    assert ends - begins == timedelta(hours=9)


def test_add_business_time_skips_nights_and_weekends() -> None:
    hours = BusinessHours(zone=BERLIN)
    friday = local(BERLIN, 2026, 3, 27, 16, 30)
    assert hours.add_business_time(friday, timedelta(hours=1)) == local(BERLIN, 2026, 3, 30, 9, 30)
    monday = local(BERLIN, 2026, 3, 30, 9)
    assert hours.add_business_time(monday, timedelta(hours=8)) == local(BERLIN, 2026, 3, 30, 17)
    assert hours.add_business_time(monday, timedelta(hours=9)) == local(BERLIN, 2026, 3, 31, 10)
    sunday = local(BERLIN, 2026, 3, 29, 12)
    assert hours.add_business_time(sunday, timedelta(0)) == local(BERLIN, 2026, 3, 30, 9)
    with pytest.raises(ValidationError):
        hours.add_business_time(monday, timedelta(minutes=-1))


# --- properties ---------------------------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",  # DST changes at midnight
    "Asia/Kolkata",
    "Pacific/Apia",  # skipped 2011-12-30 entirely
]

instants = st.datetimes(
    min_value=datetime(2010, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


@st.composite
def calendar(draw: st.DrawFn) -> BusinessHours:
    start_min = draw(st.integers(0, 22 * 60))
    end_min = draw(st.integers(start_min + 1, 24 * 60 - 1))
    return BusinessHours(
        days=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
        start=time(start_min // 60, start_min % 60),
        end=time(end_min // 60, end_min % 60),
        zone=ZoneInfo(draw(st.sampled_from(ZONES))),
    )


@settings(max_examples=150, deadline=None)
@given(calendar(), instants)
def test_next_business_start_is_always_a_working_period_start_after_the_moment(
    hours: BusinessHours, after: datetime
) -> None:
    start = hours.next_business_start(after)
    assert start > after
    assert start.tzinfo is UTC
    assert hours.is_within(start)
    assert not hours.is_within(start - timedelta(microseconds=1))
    # No working period starts in between: it really is the next one.
    day = after.astimezone(hours.zone).date()
    while day < start.astimezone(hours.zone).date():
        period = hours.period_on(day)
        assert period is None or period[0] <= after
        day += timedelta(days=1)


@settings(max_examples=100, deadline=None)
@given(calendar(), instants, st.integers(0, 60 * 24 * 3))
def test_adding_business_time_never_lands_outside_working_hours(
    hours: BusinessHours, start: datetime, minutes: int
) -> None:
    end = hours.add_business_time(start, timedelta(minutes=minutes))
    assert end >= start
    if minutes:
        # In (period start, period end]: the instant just before it is business time.
        assert hours.is_within(end - timedelta(microseconds=1))
    else:
        assert hours.is_within(end)
