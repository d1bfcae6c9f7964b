"""Which day each pasted chat message was sent on: dated headers and dividers as written, a
step back in time the next day, an undated start as late as it can be, and Slack's bare
continuation times read in a 12-hour chat."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from commander.core.chat_days import Raw, instant, place, settle_bare_clocks
from commander.core.chat_lines import Clock, NumericDate

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)


def raw(hour: int, minute: int = 0, *, bare: bool = False, **changes: object) -> Raw:
    message = Raw(
        line=1, author="tom", clock=Clock(time(hour, minute), f"{hour}:{minute:02d}", bare)
    )
    for key, value in changes.items():
        setattr(message, key, value)
    return message


def days_of(raws: list[Raw], *, now: datetime = NOW, first_day: date | None = None) -> list[date]:
    days, _ = place(raws, now=now, zone=UTC, first_day=first_day)
    return days


def test_an_undated_run_is_today_when_it_has_not_passed_now() -> None:
    days, placed = place([raw(9), raw(9, 30)], now=NOW, zone=UTC, first_day=None)
    assert days == [TODAY, TODAY]
    assert placed == TODAY


def test_an_undated_run_after_now_is_yesterday() -> None:
    assert days_of([raw(9), raw(10, 6)]) == [TODAY - timedelta(days=1)] * 2
    assert days_of([raw(10, 5)]) == [TODAY]  # within the five minutes tolerated ahead


def test_a_step_back_in_time_crosses_midnight() -> None:
    assert days_of([raw(23, 50), raw(0, 10), raw(9)]) == [
        date(2026, 11, 27),
        TODAY,
        TODAY,
    ]


def test_a_named_first_day_places_the_undated_start() -> None:
    days, placed = place([raw(23), raw(1)], now=NOW, zone=UTC, first_day=date(2026, 11, 20))
    assert days == [date(2026, 11, 20), date(2026, 11, 21)]
    assert placed == date(2026, 11, 20)


def test_dated_headers_and_dividers_are_kept_and_carried_on() -> None:
    raws = [
        raw(9, day=date(2026, 11, 25)),
        raw(8),
        raw(9, divider=date(2026, 11, 27)),
        raw(10),
    ]
    days, placed = place(raws, now=NOW, zone=UTC, first_day=None)
    assert days == [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 27)]
    assert placed is None  # nothing came before the first dated message


def test_an_undated_start_ends_before_the_first_dated_message() -> None:
    raws = [raw(22), raw(23), raw(8, day=date(2026, 11, 25))]
    assert days_of(raws) == [date(2026, 11, 24), date(2026, 11, 24), date(2026, 11, 25)]
    late = [raw(7), raw(8, day=date(2026, 11, 25))]
    assert days_of(late) == [date(2026, 11, 25), date(2026, 11, 25)]


def test_numeric_dates_are_read_in_one_order_for_the_whole_paste() -> None:
    raws = [raw(9, numeric=NumericDate(3, 11, 2026)), raw(9, numeric=NumericDate(25, 11, 2026))]
    assert days_of(raws) == [date(2026, 11, 3), date(2026, 11, 25)]
    month_first = [
        raw(9, numeric=NumericDate(11, 3, 2026)),
        raw(9, numeric=NumericDate(11, 25, 2026)),
    ]
    assert days_of(month_first) == [date(2026, 11, 3), date(2026, 11, 25)]


def test_no_messages_have_no_days() -> None:
    assert place([], now=NOW, zone=UTC, first_day=None) == ([], None)


def test_bare_times_in_a_12_hour_chat_take_the_reading_nearest_after() -> None:
    raws = [
        Raw(1, "tom", Clock(time(23, 50), "11:50 PM")),
        Raw(2, "tom", Clock(time(8, 26), "8:26", bare=True)),
        Raw(3, "ann", Clock(time(20, 30), "8:30 PM")),
        Raw(4, "ann", Clock(time(8, 40), "8:40", bare=True)),
        Raw(5, "ann", Clock(time(0, 5), "0:05", bare=True)),
    ]
    settle_bare_clocks(raws)
    assert [r.clock.at for r in raws] == [
        time(23, 50),
        time(8, 26),
        time(20, 30),
        time(20, 40),
        time(0, 5),
    ]
    assert raws[3].clock.written == "8:40"


def test_a_chat_of_only_bare_times_is_24_hour_and_left_alone() -> None:
    raws = [raw(20, bare=True), raw(8, 40, bare=True)]
    settle_bare_clocks(raws)
    assert [r.clock.at for r in raws] == [time(20), time(8, 40)]


def test_a_bare_time_before_any_am_pm_time_is_left_alone() -> None:
    raws = [raw(8, 26, bare=True), Raw(2, "x", Clock(time(21), "9:00 PM"))]
    settle_bare_clocks(raws)
    assert raws[0].clock.at == time(8, 26)


def test_a_local_day_and_time_is_an_utc_instant_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert instant(date(2026, 7, 1), time(12), berlin) == datetime(2026, 7, 1, 10, tzinfo=UTC)
    assert instant(date(2026, 12, 1), time(12), berlin) == datetime(2026, 12, 1, 11, tzinfo=UTC)
    # 02:30 does not exist on 29 March 2026 in Berlin; it lands on a real instant.
    assert instant(date(2026, 3, 29), time(2, 30), berlin) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    assert instant(TODAY, time(9), timezone(timedelta(hours=-5))) == datetime(
        2026, 11, 28, 14, tzinfo=UTC
    )
