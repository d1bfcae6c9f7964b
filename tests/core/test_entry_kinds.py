"""Entry kinds: the scribe's prefixes, stored kinds read as they are today, what a person may
give, the Kind column's label, back-filled entries and how long a question has waited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commander.core.entry_kinds import (
    ALL_KINDS,
    BACKFILL_AFTER,
    ICONS,
    PERSON_KINDS,
    Kind,
    KindedText,
    age_text,
    check_person_kind,
    is_backfilled,
    label,
    normalize_kind,
    recorded_at_ms,
    split_kind,
)
from commander.core.errors import ValidationError
from commander.core.hlc import HlcStamp

T0_MS = int(datetime(2026, 11, 28, 10, 0, tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    ("line", "kind", "event", "decider"),
    [
        ("o: p99 at 4 s", Kind.OBSERVATION, "p99 at 4 s", ""),
        ("a: restarted pods", Kind.ACTION, "restarted pods", ""),
        ("d: roll back to 1.42", Kind.DECISION, "roll back to 1.42", ""),
        ("D: @bob roll back", Kind.DECISION, "roll back", "bob"),
        ("? replica lagging", Kind.QUESTION, "replica lagging", ""),
        ("is the replica lagging?", Kind.QUESTION, "is the replica lagging?", ""),
        ("c: status page updated", Kind.COMMUNICATION, "status page updated", ""),
        ("plain line", Kind.OBSERVATION, "plain line", ""),
        ("ad: not a prefix", Kind.OBSERVATION, "ad: not a prefix", ""),
    ],
)
def test_prefixes_set_the_kind(line: str, kind: str, event: str, decider: str) -> None:
    parsed = split_kind(line)
    assert (parsed.kind, parsed.text.strip(), parsed.decider) == (kind, event, decider)


def test_a_prefix_alone_gives_the_kind_and_no_text() -> None:
    assert split_kind("d:") == KindedText(Kind.DECISION, "", "")
    assert split_kind("?") == KindedText(Kind.QUESTION, "", "")


def test_a_prefix_needs_a_space_after_it() -> None:
    assert split_kind("o:x") == KindedText(Kind.OBSERVATION, "o:x", "")
    assert split_kind("?why") == KindedText(Kind.OBSERVATION, "?why", "")


def test_no_prefix_takes_the_default_and_an_at_name_only_decides_a_decision() -> None:
    assert split_kind("restarted", default=Kind.ACTION) == KindedText(Kind.ACTION, "restarted", "")
    assert split_kind("a: @bob restarted") == KindedText(Kind.ACTION, "@bob restarted", "")
    assert split_kind("  d: @bob.k-1 roll back") == KindedText(
        Kind.DECISION, "roll back", "bob.k-1"
    )


@pytest.mark.parametrize(
    ("stored", "kind"),
    [
        ("decision", Kind.DECISION),
        ("system", Kind.SYSTEM),
        ("note", Kind.OBSERVATION),
        (" Question ", Kind.QUESTION),
        ("", Kind.OBSERVATION),
        (None, Kind.OBSERVATION),
        ("unheard-of", Kind.OBSERVATION),
    ],
)
def test_a_stored_kind_reads_as_it_does_today(stored: str | None, kind: str) -> None:
    assert normalize_kind(stored) == kind


def test_a_person_may_give_every_kind_but_system() -> None:
    assert [check_person_kind(k.upper()) for k in PERSON_KINDS] == list(PERSON_KINDS)
    assert check_person_kind(" note ") == Kind.OBSERVATION
    assert ALL_KINDS[-1] == Kind.SYSTEM
    assert ALL_KINDS[:-1] == PERSON_KINDS


@pytest.mark.parametrize("kind", ["system", "rumour", ""])
def test_other_kinds_are_refused_naming_the_ones_a_person_may_give(kind: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_person_kind(kind)
    assert str(caught.value) == (
        f"“{kind}” is not an entry kind; use one of observation, action, decision, question, "
        "answer, communication."
    )


def test_the_label_is_the_icon_and_the_word() -> None:
    assert label("decision") == "◆ decision"
    assert label("note") == "◉ observation"
    assert label("system") == "⚙ system"
    assert set(ICONS) == set(ALL_KINDS)


def test_an_entry_was_recorded_when_its_op_was_stamped() -> None:
    assert recorded_at_ms(HlcStamp(T0_MS, 3).encode()) == T0_MS


def test_an_entry_recorded_more_than_two_minutes_late_is_back_filled() -> None:
    limit_ms = int(BACKFILL_AFTER.total_seconds() * 1000)
    assert not is_backfilled(T0_MS, HlcStamp(T0_MS + limit_ms, 0).encode())
    assert is_backfilled(T0_MS, HlcStamp(T0_MS + limit_ms + 1, 0).encode())
    assert not is_backfilled(T0_MS, HlcStamp(T0_MS - 60_000, 0).encode())


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=-30), "0 min"),
        (timedelta(seconds=59), "0 min"),
        (timedelta(minutes=4), "4 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=1), "1 h 00 min"),
        (timedelta(hours=2, minutes=5), "2 h 05 min"),
        (timedelta(hours=23, minutes=59), "23 h 59 min"),
        (timedelta(days=1), "1 d 0 h"),
        (timedelta(days=3, hours=4, minutes=30), "3 d 4 h"),
    ],
)
def test_how_long_a_question_has_waited(age: timedelta, text: str) -> None:
    assert age_text(age) == text
