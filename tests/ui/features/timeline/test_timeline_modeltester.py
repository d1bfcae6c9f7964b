"""Qt's model tester over the timeline model: loading, filtering, inserting, sorting."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from commander.core.records import TimelineEntry
from commander.ui.features.timeline.timeline_model import TimelineModel
from commander.ui.features.timeline.timeline_store import TimelineStore

BASE_MS = int(datetime(2026, 11, 28, 10, 0, tzinfo=UTC).timestamp() * 1000)


def entry(n: int, event: str) -> TimelineEntry:
    return TimelineEntry(
        f"e{n}",
        "i1",
        BASE_MS + n * 1000,
        f"{n:06d}",
        "note",
        event,
        "",
        "sam",
        "alice",
        0,
        "",
        None,
        None,
    )


def test_timeline_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for index_from in (0, 10_000):
        model = TimelineModel(UTC, index_from=index_from)
        qtmodeltester.check(model)
        model.set_entries([entry(n, f"gateway {n}") for n in range(10, 30)])
        qtmodeltester.check(model)
        model.set_filter("gateway 1")
        qtmodeltester.check(model)
        older = TimelineStore()
        older.add_older([entry(n, f"older gateway {n}") for n in range(10)])
        model.add_older(older)
        model.apply([entry(40, "gateway 10 again"), entry(12, "gateway 12 struck")])
        model.sort(0, Qt.SortOrder.DescendingOrder)
        model.set_filter("gate")
        model.set_filter("")
        qtmodeltester.check(model)
        assert model.rowCount() == 31
