"""What kind of thing a timeline entry records, and the scribe's prefixes that say so.

A timeline that is only "time, event" loses what the review needs most: which lines were
decisions (and who made them), which were questions still waiting for an answer, what was
said to whom. The kind is part of the entry's create op, so it is covered by the hash chain
and travels with sync like the text does.

Quick-entry prefixes (after an optional leading ``HH:MM``):

=========  ================  =====================================================
prefix     kind              example
=========  ================  =====================================================
``o:``     observation       ``o: p99 latency 4 s on api-gw``
``a:``     action            ``a: restarted the api-gw pods``
``d:``     decision          ``d: @alice roll back to 1.42`` (alice decided)
``?`` …    question          ``? is the replica lagging`` or any line ending in ``?``
``c:``     communication     ``c: status page updated``
=========  ================  =====================================================

Answers are not typed with a prefix: an answer names the question it answers, so it is
written from the question (its context menu, or ``commander log --answers ENTRY``).
Entries written before kinds existed read as observations ("note") or system entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from commander.core.errors import ValidationError
from commander.core.hlc import HlcStamp


class Kind:
    """The kinds an entry can have; the stored value is the lower-case word."""

    OBSERVATION = "observation"
    ACTION = "action"
    DECISION = "decision"
    QUESTION = "question"
    ANSWER = "answer"
    COMMUNICATION = "communication"
    SYSTEM = "system"


# Typed by people, in the order the kind picker and the filter list them.
PERSON_KINDS: tuple[str, ...] = (
    Kind.OBSERVATION,
    Kind.ACTION,
    Kind.DECISION,
    Kind.QUESTION,
    Kind.ANSWER,
    Kind.COMMUNICATION,
)
ALL_KINDS: tuple[str, ...] = (*PERSON_KINDS, Kind.SYSTEM)

# What the timeline shows beside the word: glyphs every desktop font has (no colour emoji).
ICONS: dict[str, str] = {
    Kind.OBSERVATION: "◉",
    Kind.ACTION: "▶",
    Kind.DECISION: "◆",
    Kind.QUESTION: "?",
    Kind.ANSWER: "↳",
    Kind.COMMUNICATION: "✉",
    Kind.SYSTEM: "⚙",
}
KEY_ICON = "★"

_LEGACY = {"note": Kind.OBSERVATION}
_STORED = frozenset(ALL_KINDS)

_PREFIX = re.compile(r"^\s*(?:([oadc]):|(\?))(?=\s|$)\s*", re.IGNORECASE)
_PREFIX_KINDS = {
    "o": Kind.OBSERVATION,
    "a": Kind.ACTION,
    "d": Kind.DECISION,
    "c": Kind.COMMUNICATION,
}
_DECIDER = re.compile(r"^@([\w.\-]+)\s*")

# An entry recorded this long after the time it names was written from memory (back-filled).
BACKFILL_AFTER = timedelta(minutes=2)


def normalize_kind(kind: str | None) -> str:
    """The stored kind of an entry's create op, as it reads today ("note" is an observation)."""
    if kind in _STORED:
        return kind  # every op written since kinds exist: no string work on a pull
    value = (kind or "").strip().lower()
    value = _LEGACY.get(value, value)
    return value if value in ALL_KINDS else Kind.OBSERVATION


def check_person_kind(kind: str) -> str:
    """A kind a person may give an entry ("system" is the app's own)."""
    value = _LEGACY.get((kind or "").strip().lower(), (kind or "").strip().lower())
    if value not in PERSON_KINDS:
        raise ValidationError(
            f"“{kind}” is not an entry kind; use one of {', '.join(PERSON_KINDS)}."
        )
    return value


def label(kind: str) -> str:
    """Icon and word, as the timeline's Kind column shows it."""
    kind = normalize_kind(kind)
    return f"{ICONS[kind]} {kind}"


@dataclass(frozen=True)
class KindedText:
    kind: str
    text: str
    decider: str  # "" unless the line named one: ``d: @alice roll back``


def split_kind(text: str, *, default: str = Kind.OBSERVATION) -> KindedText:
    """Read a kind prefix off ``text`` (see the module docstring); no prefix: ``default``.

    A line ending in ``?`` is a question. A decision's leading ``@name`` is the decider,
    not the owner.
    """
    match = _PREFIX.match(text)
    if match is None:
        kind = Kind.QUESTION if text.rstrip().endswith("?") else default
        return KindedText(kind, text, "")
    rest = text[match.end() :]
    if match[2]:
        return KindedText(Kind.QUESTION, rest, "")
    kind = _PREFIX_KINDS[match[1].lower()]
    decider = ""
    if kind == Kind.DECISION:
        named = _DECIDER.match(rest)
        if named:
            decider, rest = named[1], rest[named.end() :]
    return KindedText(kind, rest, decider)


def recorded_at_ms(hlc: str) -> int:
    """When an entry was written down: its op's stamp (the entry's own time is when it
    happened, which a scribe may give from memory)."""
    return HlcStamp.decode(hlc).wall_ms


def is_backfilled(occurred_at_ms: int, hlc: str) -> bool:
    """True when the entry was recorded well after the time it names."""
    lag_ms = recorded_at_ms(hlc) - occurred_at_ms
    return lag_ms > BACKFILL_AFTER.total_seconds() * 1000


def age_text(age: timedelta) -> str:
    """How long a question has been open: ``4 min``, ``2 h 05 min``, ``3 d 4 h``, short
    enough for a panel column and a briefing line."""
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"
