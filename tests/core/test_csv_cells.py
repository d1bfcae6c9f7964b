"""The CSV cell rule: a formula trigger gets a ``'``, and the prefix comes off again exactly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commander.core.csv_cells import SafeCsvWriter, escape_cell, unescape_cell


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),  # already looks escaped: one more, so it reads back as written
        ("plain", "plain"),
        ("O'Brien", "O'Brien"),
        ("'quoted", "'quoted"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_triggers_get_a_quote(text: str, written: str) -> None:
    assert escape_cell(text) == written
    assert unescape_cell(written) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab ,\"\n"), max_size=8) | st.text(max_size=8))
def test_every_text_reads_back_exactly_and_never_starts_a_formula(text: str) -> None:
    written = escape_cell(text)
    assert unescape_cell(written) == text
    assert not written[:1] or written[0] not in "=+-@\t\r"


def test_the_writer_escapes_every_cell_and_csv_reads_it_back() -> None:
    buffer = io.StringIO(newline="")
    SafeCsvWriter(buffer, lineterminator="\n").writerows([["=1+1", "ok", 5], ["-x", "@y"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows == [["'=1+1", "ok", "5"], ["'-x", "'@y"]]
