"""Concurrent versions of a review section: which edits nobody has seen yet.

Each review section is a last-writer-wins register, so when two laptops edit the same section
before they sync, one text is shown and the other would vanish from every screen. Every edit
names the op it replaced (``base``); a deliberate resolution also names the versions it merged
(``merges``). An op nobody names is a *head*: more than one head means people wrote without
seeing each other. This is a pure function of the set of ops, so every replica agrees on it
whatever order sync delivered them in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commander.core.records_json import JsonRecord

MERGES = "merges"


@dataclass(frozen=True)
class Version(JsonRecord):
    """One text of a section: the op that wrote it, who, when (its HLC wall clock), what."""

    op_id: str
    author: str
    at: datetime
    text: str


def predecessors(value: Any) -> set[str]:
    """The op ids an op's value says it replaced: its ``base`` and any ``merges``."""
    if not isinstance(value, dict):
        return set()
    named = {value["base"]} if isinstance(value.get("base"), str) else set()
    merges = value.get(MERGES)
    if isinstance(merges, list):
        named.update(item for item in merges if isinstance(item, str))
    return named


def heads(ops: Iterable[tuple[str, Any]]) -> set[str]:
    """The ids of the ``(op_id, value)`` ops that no other op names as replaced."""
    listed = list(ops)
    replaced: set[str] = set()
    for _, value in listed:
        replaced |= predecessors(value)
    return {op_id for op_id, _ in listed} - replaced


def resolution_change(text: str, base: str | None, merged: Iterable[str]) -> dict[str, Any]:
    """A register change that replaces the holder and every competing version at once."""
    return {"value": text, "base": base, MERGES: sorted(set(merged) - {base})}


__all__ = ["MERGES", "Version", "heads", "predecessors", "resolution_change"]
