"""The table printer's fast paths (a 1M-entry ``commander show``) print exactly what the
plain definitions print: ``textwrap.wrap`` for cells, a per-character filter for ``safe``."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from commander.cli.output import _longest_line, _wrap, safe

PIECES = ["a", "b", " ", "  ", "word", "-", "\n", "\t", "\x1b", "\x7f", "é", "\u2028"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _plain_wrap(text: str, width: int) -> list[str]:
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [""]
        )
    return lines


@settings(max_examples=400, derandomize=True)
@given(TEXT, st.integers(min_value=0, max_value=30))
def test_wrap_equals_textwrap(text: str, width: int) -> None:
    assert _wrap(text, width) == _plain_wrap(text, width)


@settings(max_examples=400, derandomize=True)
@given(TEXT)
def test_safe_and_longest_line_equal_their_plain_definitions(text: str) -> None:
    plain = "".join(ch if ch == "\n" or (ch >= " " and ch != "\x7f") else "?" for ch in text)
    assert safe(text) == plain
    assert _longest_line(text) == max((len(line) for line in text.splitlines()), default=0)


def test_a_long_event_wraps_at_word_boundaries() -> None:
    event = "api gateway pods restarted certificate renewal job partner endpoint"
    assert _wrap(event, 20) == [
        "api gateway pods",
        "restarted",
        "certificate renewal",
        "job partner endpoint",
    ]
