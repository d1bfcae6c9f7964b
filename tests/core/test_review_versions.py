"""Concurrent versions of a review section: which ops nobody names as replaced (the heads),
and the change that resolves them all at once."""

from __future__ import annotations

from typing import Any

import pytest

from commander.core.review_versions import MERGES, heads, predecessors, resolution_change


def test_heads_are_a_pure_function_of_the_ops() -> None:
    ops = [
        ("a1", {"value": "x", "base": None}),
        ("a2", {"value": "y", "base": "a1"}),
        ("b1", {"value": "z", "base": None}),
        ("r", resolution_change("y", "a2", ["b1", "a2"])),
    ]
    assert heads(ops[:3]) == heads(reversed(ops[:3])) == {"a2", "b1"}
    assert heads(ops) == {"r"}
    assert ops[3][1]["merges"] == ["b1"]
    assert predecessors({"value": "old op without merges", "base": "a1"}) == {"a1"}


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ({"value": "x", "base": "a1", MERGES: ["b1", "c1"]}, {"a1", "b1", "c1"}),
        ({"value": "x", "base": None, MERGES: ["b1"]}, {"b1"}),
        ({"value": "x", "base": 7, MERGES: ["b1", 3, None]}, {"b1"}),
        ({"value": "x", MERGES: "b1"}, set()),
        ("a plain old value", set()),
        (None, set()),
    ],
)
def test_predecessors_are_the_base_and_the_merges_that_are_ids(value: Any, named: set[str]) -> None:
    assert predecessors(value) == named


def test_no_ops_have_no_heads_and_one_op_is_its_own_head() -> None:
    assert heads([]) == set()
    assert heads(iter([("a1", "old value")])) == {"a1"}


def test_a_resolution_lists_each_merged_version_once_sorted_without_its_base() -> None:
    assert resolution_change("final", "a2", ["c1", "b1", "c1", "a2"]) == {
        "value": "final",
        "base": "a2",
        MERGES: ["b1", "c1"],
    }
    assert resolution_change("final", None, []) == {"value": "final", "base": None, MERGES: []}
