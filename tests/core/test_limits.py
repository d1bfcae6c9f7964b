"""The shared checks in core/limits.py: each refuses in one sentence that names its limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from commander.core.errors import ValidationError
from commander.core.limits import (
    BACKFILL_MAX,
    JSON_DEPTH_MAX,
    MIB,
    check_backfill,
    check_size,
    check_stored_value,
    check_window,
    decode_utf8,
    json_depth,
    load_json,
    size_text,
)

DECLARED = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_sizes_are_said_the_way_the_docs_say_them() -> None:
    assert size_text(64 * MIB) == "64 MiB"
    assert size_text(1000) == "1,000 bytes"
    assert check_size(b"x" * 10, limit=10, what="f") == b"x" * 10
    with pytest.raises(ValidationError, match="f is larger than 10 bytes, the limit"):
        check_size(b"x" * 11, limit=10, what="f")


def test_json_depth_is_bounded_without_recursion() -> None:
    assert json_depth(1) == 0 and json_depth([[{}]]) == 3
    assert load_json("[" * JSON_DEPTH_MAX + "]" * JSON_DEPTH_MAX, what="f") is not None
    for text in ("[" * (JSON_DEPTH_MAX + 1) + "]" * (JSON_DEPTH_MAX + 1), "[" * 200_000):
        with pytest.raises(ValidationError, match="nests deeper than 64 levels"):
            load_json(text, what="f")
    with pytest.raises(ValidationError, match="not valid JSON"):
        load_json(b"{", what="f")


def test_text_must_be_utf8() -> None:
    assert decode_utf8(b"\xef\xbb\xbfok", what="f") == "ok"
    with pytest.raises(ValidationError, match=r"f is not UTF-8 text \(byte 3 "):
        decode_utf8(b"ok\xff", what="f")


def test_back_fill_reaches_seven_days_before_the_declaration() -> None:
    check_backfill(DECLARED - BACKFILL_MAX, DECLARED, what="That event")
    with pytest.raises(ValidationError, match="more than 7 days before the incident"):
        check_backfill(DECLARED - BACKFILL_MAX - timedelta(seconds=1), DECLARED, what="x")


def test_planned_dates_stay_in_their_window() -> None:
    today = date(2026, 11, 28)
    check_window(today, now=today, before=timedelta(days=1), after=timedelta(days=1), what="D")
    with pytest.raises(ValidationError, match="D 9999-12-31 is too far from today"):
        check_window(
            date(9999, 12, 31), now=today, before=timedelta(1), after=timedelta(1), what="D"
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"title": "x" * 100_001}, "100,001 characters"),
        (["fine", {"k\x00": "v"}], "U+0000"),
        ({"event": "bad \udcff"}, "U+DCFF"),
        ({"event": "a\x1b[31m"}, "U+001B"),
    ],
)
def test_stored_values_hold_only_text_a_field_takes(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("+", r"\+")):
        check_stored_value(value, what="Op 1")


def test_stored_values_may_hold_lines_and_tabs() -> None:
    check_stored_value({"event": "two\nlines\tand\r\n", "n": [1, 2.5, None, True]}, what="Op 1")
