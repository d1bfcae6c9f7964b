"""Quick entry: a typed line gives the event, its time of day and owner; no future times."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from commander.core.errors import FutureTimeError, ValidationError
from commander.core.quick_entry import check_occurred_at, parse_quick_entry
from commander.core.text import EVENT_MAX

NOW = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)


def test_plain_text_is_the_event_stamped_now() -> None:
    entry = parse_quick_entry("  Rolled back   api-gw  ", now=NOW, zone=UTC)
    assert entry.event == "Rolled back api-gw"
    assert entry.occurred_at is None
    assert entry.owner is None


def test_leading_clock_time_and_owner_are_taken_out_of_the_text() -> None:
    entry = parse_quick_entry("10:15 Root cause identified @bob", now=NOW, zone=UTC)
    assert entry.event == "Root cause identified"
    assert entry.occurred_at == datetime(2026, 11, 28, 10, 15, tzinfo=UTC)
    assert entry.owner == "bob"


def test_clock_time_is_read_in_the_users_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # UTC+1 in November
    entry = parse_quick_entry("11:15:30 paged DBA", now=NOW, zone=berlin)
    assert entry.occurred_at == datetime(2026, 11, 28, 10, 15, 30, tzinfo=UTC)


def test_a_clock_time_just_before_midnight_typed_just_after_means_yesterday() -> None:
    just_after_midnight = datetime(2026, 11, 28, 0, 5, tzinfo=UTC)
    entry = parse_quick_entry("23:58 alert fired", now=just_after_midnight, zone=UTC)
    assert entry.occurred_at == datetime(2026, 11, 27, 23, 58, tzinfo=UTC)


def test_a_later_clock_time_is_refused_with_both_readings_not_moved_to_yesterday() -> None:
    evening = datetime(2026, 11, 28, 18, 40, tzinfo=UTC)
    with pytest.raises(FutureTimeError) as caught:
        parse_quick_entry("23:59 DNS cut over @bob", now=evening, zone=UTC)
    message = str(caught.value)
    assert "23:59 today is in the future (it is 18:40 now)" in message
    assert "did you mean yesterday 23:59?" in message
    assert caught.value.yesterday_line == "yesterday 23:59 DNS cut over @bob"
    entry = parse_quick_entry(caught.value.yesterday_line, now=evening, zone=UTC)
    assert entry.occurred_at == datetime(2026, 11, 27, 23, 59, tzinfo=UTC)
    assert (entry.event, entry.owner) == ("DNS cut over", "bob")


def test_yesterday_is_said_in_words_and_read_in_the_users_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # 10:30 UTC is 11:30 in Berlin
    entry = parse_quick_entry("Yesterday 09:00:15 paged DBA", now=NOW, zone=berlin)
    assert entry.occurred_at == datetime(2026, 11, 27, 8, 0, 15, tzinfo=UTC)
    assert entry.event == "paged DBA"


def test_a_time_a_few_minutes_ahead_is_a_fast_clock_not_the_future() -> None:
    entry = parse_quick_entry("10:34 paged", now=NOW, zone=UTC)
    assert entry.occurred_at == datetime(2026, 11, 28, 10, 34, tzinfo=UTC)
    with pytest.raises(FutureTimeError):
        parse_quick_entry("10:36 paged", now=NOW, zone=UTC)


def test_email_addresses_are_not_owners() -> None:
    entry = parse_quick_entry("mailed ops@example.com", now=NOW, zone=UTC)
    assert entry.owner is None
    assert entry.event == "mailed ops@example.com"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "Event must not be empty"),
        ("10:15 @bob", "Event must not be empty"),
        ("25:10 what", "not a time of day"),
        ("10:15 bell \x07 rang", "control character"),
        ("x" * (EVENT_MAX + 1), "limit is 4,000"),
    ],
)
def test_bad_lines_get_a_clear_message(line: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_quick_entry(line, now=NOW, zone=UTC)


def test_future_times_beyond_tolerance_are_refused() -> None:
    check_occurred_at(datetime(2026, 11, 28, 10, 34, tzinfo=UTC), NOW)
    with pytest.raises(ValidationError, match="future"):
        check_occurred_at(datetime(2026, 11, 28, 11, 0, tzinfo=UTC), NOW)
