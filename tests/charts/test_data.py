"""charts.data: a chart of the latest hours; ``ImpactChartData.since`` keeps what is inside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.charts.data import Band, ImpactChartData, Marker
from commander.core.impact import Metric, Sample

T0 = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _data() -> ImpactChartData:
    return ImpactChartData(
        "Impact — INC-1",
        series={
            Metric.ERROR_RATE: [Sample(_at(m), float(m)) for m in range(0, 600, 60)],
            Metric.LATENCY_MS: [Sample(_at(30), 900.0)],  # only before the cut-off
        },
        phases=[
            Band(_at(0), _at(120), "Detection"),
            Band(_at(120), _at(480), "Mitigation"),
            Band(_at(480), _at(600), "Recovery"),
        ],
        markers=[Marker(_at(60), "P1", "severity"), Marker(_at(500), "P0", "severity")],
        now=_at(600),
    )


def test_only_samples_phases_and_markers_from_the_cutoff_are_kept() -> None:
    windowed = _data().since(_at(300))
    assert [s.value for s in windowed.series[Metric.ERROR_RATE]] == [300, 360, 420, 480, 540]
    assert Metric.LATENCY_MS not in windowed.series  # no empty panel for a quiet metric
    assert [(b.start, b.end, b.label) for b in windowed.phases] == [
        (_at(300), _at(480), "Mitigation"),  # clipped at the cut-off, not dropped
        (_at(480), _at(600), "Recovery"),
    ]
    assert [m.label for m in windowed.markers] == ["P0"]
    assert windowed.now == _at(600) and windowed.title == "Impact — INC-1"


def test_a_fast_feed_is_capped_to_its_latest_samples() -> None:
    windowed = _data().since(_at(0), per_metric=3)
    assert [s.value for s in windowed.series[Metric.ERROR_RATE]] == [420, 480, 540]
    assert [s.value for s in windowed.series[Metric.LATENCY_MS]] == [900]


def test_the_original_is_left_as_it_was() -> None:
    data = _data()
    data.since(_at(300), per_metric=1)
    assert len(data.series[Metric.ERROR_RATE]) == 10 and len(data.phases) == 3
