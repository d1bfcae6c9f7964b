"""The lines of pasted Slack and Teams text: times in 12- and 24-hour form, dates as each app
writes them, headers, dividers, day-first or month-first dates, and sender names."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from commander.core import chat_lines as cl
from commander.core.chat_lines import (
    Clock,
    NumericDate,
    day_first,
    divider_day,
    looks_like_name,
    month_day,
    numeric_date,
    read_clock,
    resolve_numeric,
    single_name,
)

TODAY = date(2026, 11, 28)  # a Saturday


def clock_of(text: str) -> Clock | None:
    match = cl.SLACK_TIME_LINE.match(text)
    assert match is not None
    return read_clock(match)


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("9:01 AM", Clock(time(9, 1), "9:01 AM")),
        ("2:44 pm", Clock(time(14, 44), "2:44 PM")),
        ("12:05 a.m.", Clock(time(0, 5), "12:05 AM")),
        ("12:30 PM", Clock(time(12, 30), "12:30 PM")),
        ("23:52", Clock(time(23, 52), "23:52", bare=True)),
        ("  9:04:30  ", Clock(time(9, 4, 30), "9:04:30", bare=True)),
        ("[10:42 AM]", Clock(time(10, 42), "10:42 AM")),
    ],
)
def test_a_time_is_read_in_either_form(text: str, clock: Clock) -> None:
    assert clock_of(text) == clock


@pytest.mark.parametrize("text", ["25:00", "9:61", "9:00:60", "13:00 PM", "0:15 AM"])
def test_what_is_no_time_of_day_is_none(text: str) -> None:
    assert clock_of(text) is None


def _month_day(text: str) -> date | None:
    match = re.match(cl._MONTH_DAY, text)
    assert match is not None
    return month_day(match, TODAY)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Feb 6th", date(2026, 2, 6)),
        ("November 28", date(2026, 11, 28)),
        ("Dec 1st", date(2025, 12, 1)),  # still to come this year: last year's
        ("Sept. 3, 2024", date(2024, 9, 3)),
        ("Dec 1, 2026", date(2026, 12, 1)),  # a year written is kept
        ("Feb 30", None),
        ("Foo 3", None),
    ],
)
def test_a_month_and_day_is_this_year_or_last(text: str, day: date | None) -> None:
    assert _month_day(text) == day


def test_february_29th_of_a_leap_year_read_in_a_later_year() -> None:
    match = re.match(cl._MONTH_DAY, "Feb 29")
    assert match is not None
    assert month_day(match, date(2028, 3, 1)) == date(2028, 2, 29)
    assert month_day(match, date(2029, 3, 1)) is None


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Today", TODAY),
        ("  yesterday ", date(2026, 11, 27)),
        ("Monday, November 23", date(2026, 11, 23)),
        ("Nov 27th", date(2026, 11, 27)),
        ("Today we rolled back", None),
        ("hello", None),
    ],
)
def test_a_divider_line_names_a_day(line: str, day: date | None) -> None:
    assert divider_day(line, TODAY) == day


def test_a_numeric_date_keeps_both_readings_open() -> None:
    match = cl.TEAMS_TIME_LINE.match("03/12/26 9:15 AM")
    assert match is not None
    assert numeric_date(match) == NumericDate(3, 12, 2026)
    bare = cl.TEAMS_TIME_LINE.match("9:15 AM")
    assert bare is not None
    assert numeric_date(bare) is None


def test_a_part_over_twelve_decides_the_order() -> None:
    assert day_first([NumericDate(3, 4, 2026), NumericDate(13, 4, 2026)], TODAY)
    assert not day_first([NumericDate(4, 3, 2026), NumericDate(4, 13, 2026)], TODAY)


def test_otherwise_the_reading_nearest_today_without_passing_it_wins() -> None:
    # 11/10: 10 November (month first) is nearer today than 11 October (day first).
    assert not day_first([NumericDate(11, 10, 2026)], TODAY)
    # 12/11: 12 November (day first) wins over 11 December, which is still to come.
    assert day_first([NumericDate(12, 11, 2026)], TODAY)


def test_a_numeric_date_resolves_in_either_order_or_not_at_all() -> None:
    value = NumericDate(3, 12, 2026)
    assert resolve_numeric(value, day_first=True) == date(2026, 12, 3)
    assert resolve_numeric(value, day_first=False) == date(2026, 3, 12)
    assert resolve_numeric(NumericDate(31, 2, 2026), day_first=True) is None


@pytest.mark.parametrize(
    ("name", "single"),
    [
        ("Tom OkaforTom Okafor", "Tom Okafor"),
        ("  Tom   Okafor ", "Tom Okafor"),
        ("Anna", "Anna"),
        ("aa", "a"),
        ("", ""),
    ],
)
def test_a_doubled_name_is_shown_once(name: str, single: str) -> None:
    assert single_name(name) == single


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Tom Okafor", True),
        ("  Priya ", True),
        ("", False),
        ("x" * 81, False),
        ("see https://example.com", False),
        ("we rolled back.", False),
        ("is it DNS?", False),
        ("9:04", False),
    ],
)
def test_a_name_line_is_short_words_not_a_sentence_link_or_time(line: str, name: bool) -> None:
    assert looks_like_name(line) is name


def test_slack_markdown_headers_and_continuations() -> None:
    header = cl.SLACK_LINK_HEADER.match("Tom Okafor  [7:13 AM](https://x.slack.com/p1)")
    assert header is not None
    assert (header["name"], header["url"]) == ("Tom Okafor", "https://x.slack.com/p1")
    dated = cl.SLACK_LINK_HEADER.match("Tom  [Feb 6th at 7:13 AM](https://x.slack.com/p1)")
    assert dated is not None
    assert (dated["mon"], dated["day"]) == ("Feb", "6")
    assert cl.SLACK_LINK_CONTINUE.match("[7:48](https://x.slack.com/p2)") is not None


def test_older_slack_and_classic_teams_brackets() -> None:
    slack = cl.SLACK_BRACKET_HEADER.match("Priya Shah [10:42 AM] rolling back")
    assert slack is not None
    assert (slack["name"], slack["rest"]) == ("Priya Shah", "rolling back")
    more = cl.SLACK_BRACKET_CONTINUE.match("[10:43 AM]done")
    assert more is not None
    assert more["rest"] == "done"
    teams = cl.TEAMS_BRACKET_HEADER.match("[12:10] Dana Lee: on it")
    assert teams is not None
    assert (teams["name"], teams["rest"]) == ("Dana Lee", "on it")


@pytest.mark.parametrize(
    ("line", "noise"),
    [
        ("has context menu", True),
        ("Last read", True),
        ("2 Like reactions.", True),
        ("3", True),
        ("Url Preview for https://x", True),
        ("party (GIF Image)", True),
        ("rolled back at 3", False),
    ],
)
def test_teams_interface_lines_are_noise(line: str, noise: bool) -> None:
    assert (cl.TEAMS_NOISE.match(line) is not None) is noise
    assert cl.TEAMS_REFERENCE.match("Begin Reference, rolled back … by Tom") is not None
