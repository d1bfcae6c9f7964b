"""Where each key of a procedure file is written: headers with their array index, keys,
dotted and inline keys, and the nearest recorded line for a path not found."""

from __future__ import annotations

from commander.core.procedure_lines import key_lines, line_of

TEXT = """\
format = 1
name = "Lines"  # a comment

[[severity]]
key = "S1"

[[deadline]]
key = "ack"
when.severity = ["S1"]

[[deadline]]
key = "update"
when = { severity = ["S1"], type = ["x"] }
description = \"\"\"
key = "not a key"
\"\"\"
choices = [
  "a",
  "b = c",
]
cite = "after"

[[checklist]]
key = "one"
[[checklist.step]]
key = "s1"
[[checklist.step]]
key = "s2"

[[checklist]]
key = "two"
[[checklist.step]]
key = "t1"
"""


def test_top_level_keys_and_table_headers_have_their_lines() -> None:
    lines = key_lines(TEXT)
    assert lines[("format",)] == 1
    assert lines[("name",)] == 2
    assert lines[("severity", 0)] == 4
    assert lines[("severity", 0, "key")] == 5


def test_each_array_item_counts_its_index() -> None:
    lines = key_lines(TEXT)
    assert lines[("deadline", 0)] == 7
    assert lines[("deadline", 1)] == 11
    assert lines[("deadline", 1, "key")] == 12


def test_dotted_and_inline_keys_get_their_line_and_each_prefix() -> None:
    lines = key_lines(TEXT)
    assert lines[("deadline", 0, "when")] == 9
    assert lines[("deadline", 0, "when", "severity")] == 9
    assert lines[("deadline", 1, "when", "severity")] == 13
    assert lines[("deadline", 1, "when", "type")] == 13


def test_keys_inside_multi_line_strings_and_arrays_are_not_keys() -> None:
    lines = key_lines(TEXT)
    assert lines[("deadline", 1, "description")] == 14
    assert lines[("deadline", 1, "choices")] == 17
    assert lines[("deadline", 1, "cite")] == 21
    assert ("deadline", 1, "b") not in lines
    assert list(lines).count(("deadline", 1, "key")) == 1
    assert lines[("deadline", 1, "key")] == 12  # not line 15 inside the string


def test_a_new_parent_item_restarts_its_childrens_count() -> None:
    lines = key_lines(TEXT)
    assert lines[("checklist", 0, "step", 0, "key")] == 26
    assert lines[("checklist", 0, "step", 1, "key")] == 28
    assert lines[("checklist", 1, "step", 0)] == 32
    assert lines[("checklist", 1, "step", 0, "key")] == 33


def test_a_plain_table_header_and_quoted_names() -> None:
    lines = key_lines('[meta]\nowner = "x"\n["quoted"]\nk = 1\n')
    assert lines[("meta",)] == 1
    assert lines[("meta", "owner")] == 2
    assert lines[("quoted", "k")] == 4


def test_empty_text_has_no_lines() -> None:
    assert key_lines("") == {}
    assert key_lines("# only a comment\n\n") == {}


def test_a_path_not_found_falls_back_to_its_longest_recorded_prefix() -> None:
    lines = key_lines(TEXT)
    assert line_of(lines, ("deadline", 1, "offset")) == 11
    assert line_of(lines, ["deadline", 0, "when", "status"]) == 9
    assert line_of(lines, ("deadline", 1, "key")) == 12


def test_a_path_with_no_recorded_prefix_has_no_line() -> None:
    assert line_of(key_lines(TEXT), ("role", 0, "key")) is None
    assert line_of({}, ()) is None
