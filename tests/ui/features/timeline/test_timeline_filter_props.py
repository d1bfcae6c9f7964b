"""The timeline filter always shows exactly what a plain substring scan of every row shows.

Random rows and random keystroke sequences (extend, backspace, replace), with entries added
and changed while a filter is active; checked on both paths: the scan of a small timeline
and the word index of a large one (``index_from=0`` makes every timeline "large").
"""

from __future__ import annotations

from datetime import UTC

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from commander.core.records import TimelineEntry
from commander.ui.features.timeline import timeline_search
from commander.ui.features.timeline.timeline_kinds import KEY_EVENTS, kind_matches
from commander.ui.features.timeline.timeline_model import TimelineModel, haystack
from commander.ui.features.timeline.timeline_store import TimelineStore

BASE_MS = 1_795_000_000_000
# Few letters, so queries match often; separators and one non-ASCII letter, so tokens split.
TEXT = st.text(alphabet="abcé -,_\x1f", max_size=12)
WORD = st.text(alphabet="abcé -,", min_size=1, max_size=4)


@st.composite
def entries(draw: st.DrawFn, max_size: int = 25) -> list[TimelineEntry]:
    count = draw(st.integers(0, max_size))
    rows = []
    for n in range(count):
        amended = draw(st.one_of(st.none(), TEXT))
        rows.append(
            TimelineEntry(
                id=draw(st.sampled_from([f"e{n}", f"0192f0a1-0000-7000-8000-{n:012d}"])),
                incident_id="i1",
                occurred_at_ms=BASE_MS + draw(st.integers(0, 5)) * 1000,
                hlc=f"{n:04d}",
                kind=draw(st.sampled_from(["note", "system", "decision", "question"])),
                event=draw(TEXT),
                action=draw(TEXT),
                owner=draw(st.sampled_from(["", "Alice", "bob"])),
                author=draw(st.sampled_from(["carol", "Dave é"])),
                struck=draw(st.integers(0, 1)),
                strike_reason="",
                amended_event=amended,
                amended_action=None,
                key_event=draw(st.integers(0, 1)),
            )
        )
    return sorted(rows, key=lambda e: e.sort_key)


@st.composite
def keystrokes(draw: st.DrawFn) -> list[str]:
    """What the filter line holds after each keystroke."""
    text, shown = "", []
    for _ in range(draw(st.integers(1, 12))):
        step = draw(st.sampled_from(["extend", "extend", "backspace", "replace"]))
        if step == "extend":
            text += draw(WORD)
        elif step == "backspace":
            text = text[:-1]
        else:
            text = draw(WORD)
        shown.append(text)
    return shown


def naive(rows: list[TimelineEntry], text: str) -> list[str]:
    needle = text.strip().lower()
    return [e.sort_key[2] for e in rows if needle in haystack(e)]


def shown_ids(model: TimelineModel) -> list[str]:
    return [model.entry_at(r).id for r in range(model.rowCount())]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=entries(),
    typed=keystrokes(),
    index_from=st.sampled_from([0, 10_000]),
    per_row=st.sampled_from([0, 10**9]),
)
def test_filter_equals_a_naive_scan(
    rows: list[TimelineEntry], typed: list[str], index_from: int, per_row: int
) -> None:
    """Both ways of checking the index's candidates: row by row, or one pass over all."""
    kept = timeline_search.SCAN_BYTES_PER_ROW
    timeline_search.SCAN_BYTES_PER_ROW = per_row
    try:
        model = TimelineModel(UTC, index_from=index_from)
        model.set_entries(rows)
        for text in typed:
            model.set_filter(text)
            assert shown_ids(model) == naive(rows, text)
    finally:
        timeline_search.SCAN_BYTES_PER_ROW = kept


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=entries(),
    later=entries(max_size=8),
    typed=keystrokes(),
    index_from=st.sampled_from([0, 10_000]),
    descending=st.booleans(),
)
def test_index_stays_consistent_when_rows_arrive_under_a_filter(
    rows: list[TimelineEntry],
    later: list[TimelineEntry],
    typed: list[str],
    index_from: int,
    descending: bool,
) -> None:
    """Entries added, struck and amended while a filter is active; then the query moves on."""
    model = TimelineModel(UTC, index_from=index_from)
    split = len(rows) // 2
    model.set_entries(rows[split:])
    if descending:
        model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_filter(typed[0])
    older = TimelineStore()
    older.add_older(rows[:split])
    model.add_older(older)
    fresh = [e._replace(id=f"new{n}", hlc=f"9{n:03d}") for n, e in enumerate(later)]
    changed = [e._replace(event=e.event + " b", amended_event="abc") for e in rows[::3]]
    model.apply(fresh + changed)
    current = {e.id: e for e in rows} | {e.id: e for e in fresh + changed}
    expected_rows = sorted(current.values(), key=lambda e: e.sort_key)
    for text in typed:
        model.set_filter(text)
        expected = naive(expected_rows, text)
        assert shown_ids(model) == (expected[::-1] if descending else expected)
    assert model.total_count() == len(expected_rows)


def test_a_packed_entry_reads_back_identical() -> None:
    """Every field survives the packing, NUL-holding text and odd values included."""
    rows = [
        TimelineEntry(
            "0192f0a1-0000-7000-8000-000000000001",
            "i1",
            5,
            "h1",
            "decision",
            "Ev",
            "Act",
            "o",
            "a",
            1,
            "why",
            "am",
            None,
            "dec",
            "q1",
            1,
        ),
        TimelineEntry(
            "plain-id", "i2", 6, "h2", "note", "has\x00nul", "", "", "", 0, "", None, "", "", "", 0
        ),
        TimelineEntry(
            "0192F0A1-0000-7000-8000-000000000002",
            "i1",
            7,
            "h3",
            "note",
            "x",
            "",
            "",
            "",
            2,
            "",
            None,
            None,
            "",
            "",
            0,
        ),
    ]
    store = TimelineStore()
    store.add_newer(rows)
    assert list(store.entries()) == rows
    assert [store.position_of_id(e.id) for e in rows] == [0, 1, 2]
    assert store.position_of_id("unknown") is None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=entries(),
    later=entries(max_size=6),
    steps=st.lists(
        st.one_of(
            st.tuples(
                st.just("kind"), st.sampled_from(["", KEY_EVENTS, "decision", "observation"])
            ),
            st.tuples(st.just("text"), st.text(alphabet="abc ", max_size=4)),
        ),
        min_size=1,
        max_size=10,
    ),
    index_from=st.sampled_from([0, 10_000]),
)
def test_kind_and_text_filters_together_equal_a_naive_scan(
    rows: list[TimelineEntry],
    later: list[TimelineEntry],
    steps: list[tuple[str, str]],
    index_from: int,
) -> None:
    """The kind picker and the text filter combine, in any order, with rows added between."""
    model = TimelineModel(UTC, index_from=index_from)
    split = len(rows) // 2
    model.set_entries(rows[split:])
    model.add_older(rows[:split])
    held = list(rows)
    for n, (what, value) in enumerate(steps):
        if what == "kind":
            model.set_kind_filter(value)
        else:
            model.set_filter(value)
        if n == len(steps) // 2:
            extra = [e._replace(id=f"late{m}", hlc=f"9{m:03d}") for m, e in enumerate(later)]
            model.apply(extra)
            held = sorted(held + extra, key=lambda e: e.sort_key)
        needle, wanted = model.filter_text(), model.kind_filter()
        expected = [e.id for e in held if needle in haystack(e) and kind_matches(e, wanted)]
        assert shown_ids(model) == expected
