"""The timeline model alone: sorted inserts, descending order, filtering, strike/amend updates."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from commander.core.records import TimelineEntry
from commander.ui.features.timeline.timeline_model import (
    BACKFILLED_MARK,
    COL_ACTION,
    COL_EVENT,
    COL_TIME,
    TimelineModel,
)
from commander.ui.features.timeline.timeline_text import as_markdown, as_tsv

BASE_MS = int(datetime(2026, 11, 28, 10, 0, tzinfo=UTC).timestamp() * 1000)


def entry(n: int, minute: int, event: str = "", **kw) -> TimelineEntry:  # type: ignore[no-untyped-def]
    values = dict(
        id=f"e{n}",
        incident_id="i1",
        occurred_at_ms=BASE_MS + minute * 60_000,
        hlc=f"{n:08d}",
        kind="note",
        event=event or f"event {n}",
        action="",
        owner="",
        author="alice",
        struck=0,
        strike_reason="",
        amended_event=None,
        amended_action=None,
    )
    values.update(kw)
    return TimelineEntry(**values)


def events(model: TimelineModel) -> list[str]:
    return [model.index(r, COL_EVENT).data() for r in range(model.rowCount())]


def test_insert_goes_to_its_sorted_position(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TimelineModel(UTC)
    model.set_entries([entry(1, 0), entry(2, 10), entry(3, 20)])
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.apply([entry(4, 15, "late arrival")])
    assert blocker.args[1] == blocker.args[2] == 2
    assert events(model) == ["event 1", "event 2", "late arrival", "event 3"]
    assert model.index(2, COL_TIME).data() == "10:15:00"


def test_descending_sort_and_insert(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TimelineModel(UTC)
    model.set_entries([entry(1, 0), entry(2, 10), entry(3, 20)])
    model.sort(COL_TIME, Qt.SortOrder.DescendingOrder)
    assert events(model) == ["event 3", "event 2", "event 1"]
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.apply([entry(4, 30, "newest")])
    assert blocker.args[1] == 0
    assert events(model) == ["newest", "event 3", "event 2", "event 1"]
    model.apply([entry(5, 5, "between")])
    assert events(model) == ["newest", "event 3", "event 2", "between", "event 1"]
    assert model.row_of("e5") == 3


def test_filter_matches_any_field_and_new_entries(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TimelineModel(UTC)
    model.set_entries(
        [
            entry(1, 0, "Cert expired", owner="priya"),
            entry(2, 1, "Rolled back", action="Restarted GATEWAY"),
            entry(3, 2, "Paged DBA", author="bob"),
            entry(4, 3, "typo", amended_event="Renewed certificate"),
        ]
    )
    model.set_filter("gateway")
    assert events(model) == ["Rolled back"]
    model.set_filter("PRIYA")
    assert events(model) == ["Cert expired"]
    model.set_filter("bob")
    assert events(model) == ["Paged DBA"]
    model.set_filter("renewed")
    assert events(model) == ["✎ Renewed certificate  (was: typo)"]
    model.set_filter("cert")
    assert model.rowCount() == 2
    model.apply([entry(5, 4, "certificate checked"), entry(6, 5, "unrelated")])
    assert model.rowCount() == 3 and model.total_count() == 6
    model.set_filter("")
    assert model.rowCount() == 6


def test_strike_and_amend_update_in_place(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TimelineModel(UTC)
    model.set_entries([entry(1, 0), entry(2, 1, "wrong")])
    with qtbot.waitSignal(model.dataChanged):
        model.apply([entry(2, 1, "wrong", struck=1, strike_reason="duplicate")])
    assert model.rowCount() == 2
    index = model.index(1, COL_EVENT)
    assert index.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert "duplicate" in index.data(Qt.ItemDataRole.ToolTipRole)
    model.apply([entry(1, 0, action="a", amended_event="right", amended_action="b")])
    assert model.index(0, COL_EVENT).data() == "✎ right  (was: event 1)"
    assert model.index(0, COL_ACTION).data() == "✎ b  (was: a)"
    assert model.index(0, COL_EVENT).data(Qt.ItemDataRole.FontRole) is None


def test_filter_drops_and_adds_rows_on_update(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TimelineModel(UTC)
    model.set_entries([entry(1, 0, "alpha"), entry(2, 1, "beta")])
    model.set_filter("alpha")
    model.apply([entry(1, 0, "alpha", amended_event="gamma")])  # still matches via original
    assert model.rowCount() == 1
    assert model.rowCount() == 1
    model.apply([entry(2, 1, "beta", amended_event="alpha beta")])  # now matches: row added
    assert events(model) == ["✎ gamma  (was: alpha)", "✎ alpha beta  (was: beta)"]


def test_time_shows_date_when_not_on_declared_day() -> None:
    model = TimelineModel(UTC)
    declared = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    model.set_entries([entry(1, 0), entry(2, 24 * 60 + 5)], declared)
    assert model.index(0, COL_TIME).data() == "10:00:00"
    assert model.index(1, COL_TIME).data() == "2026-11-29 10:05:00"
    assert model.spans_other_days()
    assert "2026-11-28T10:00:00" in model.index(0, COL_TIME).data(Qt.ItemDataRole.ToolTipRole)


def test_clipboard_text_formats() -> None:
    model = TimelineModel(UTC)
    rows = [
        entry(1, 0, "a | b", action="x", owner="sam"),
        entry(2, 1, "oops", struck=1, strike_reason="wrong"),
    ]
    md = as_markdown(rows, model.format_time)
    assert md.splitlines()[0] == "| Time | Event | Action taken | Owner |"
    assert "| 10:00:00 | a \\| b | x | sam |" in md
    assert "~~oops~~ (struck: wrong)" in md
    tsv = as_tsv(rows, model.format_time)
    assert tsv.splitlines()[0] == "10:00:00\ta | b\tx\tsam\talice"


def test_100k_entries_load_filter_and_take_one_more() -> None:
    rows = [
        entry(n, n // 10, f"event {n} on api-gw" if n % 7 else f"db failover {n}")
        for n in range(100_000)
    ]
    model = TimelineModel(UTC)
    model.set_entries(rows)
    assert model.rowCount() == 100_000
    model.set_filter("failover")
    assert model.rowCount() == len([n for n in range(100_000) if n % 7 == 0])
    model.set_filter("")
    appended = entry(200_000, 5000, "appended")
    model.apply([appended])
    assert model.rowCount() == 100_001
    row = model.row_of(appended.id)
    assert row is not None and model.index(row, 1).data() == "appended"
    assert model.entry_at(row - 1).occurred_at_ms <= appended.occurred_at_ms  # kept in order
    # Speed is measured by benchmarks/timeline.py, not asserted here.


def test_both_times_are_shown_and_a_back_filled_entry_is_marked() -> None:
    """When it happened is the cell; when it was written down is in the tooltip, and an
    entry written more than two minutes later is marked in the cell itself."""
    model = TimelineModel(UTC)
    declared = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    happened = BASE_MS + 5 * 60_000
    live = entry(1, 5, "live", hlc=f"{happened + 20_000:015d}.000000")
    late = entry(2, 6, "late", hlc=f"{happened + 30 * 60_000:015d}.000000")
    model.set_entries([live, late], declared)
    assert model.index(0, COL_TIME).data() == "10:05:00"
    assert model.index(1, COL_TIME).data() == "10:06:00" + BACKFILLED_MARK
    tip = model.index(1, COL_TIME).data(Qt.ItemDataRole.ToolTipRole)
    assert "Happened 2026-11-28T10:06:00" in tip
    assert "Recorded 2026-11-28T10:35:00" in tip and "back-filled" in tip
    assert "back-filled" not in model.index(0, COL_TIME).data(Qt.ItemDataRole.ToolTipRole)
