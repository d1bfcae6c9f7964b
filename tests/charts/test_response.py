"""charts.response: the response timeline draws phases as bands and deadlines by outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.charts.data import Band, DeadlineMark, ResponseTimelineData
from commander.charts.response import response_figure

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_response_timeline_draws_phases_and_deadline_outcomes() -> None:
    data = ResponseTimelineData(
        "INC-1 — response",
        [
            Band(T0, T0 + timedelta(minutes=30), "Detection"),
            Band(T0 + timedelta(minutes=30), T0 + timedelta(hours=1), "Investigation"),
        ],
        [
            DeadlineMark("Acknowledge", T0 + timedelta(minutes=30), "on time", T0),
            DeadlineMark("Customer communication", T0 + timedelta(minutes=45), "missed"),
            DeadlineMark("Post-incident review", T0 + timedelta(days=7), "open"),
        ],
    )
    ax = response_figure(data).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Deadlines", "Detection", "Investigation"]
    assert len(ax.collections) == 2  # one band per phase
    markers = [line.get_marker() for line in ax.lines if line.get_marker() not in ("None", None)]
    assert markers == ["o", "X"]  # the week-away review is noted, not plotted
    assert any("Post-incident review" in t.get_text() for t in ax.texts)
