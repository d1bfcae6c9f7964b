"""reports.charts: the report's charts as PNG bytes, only those the record has data for."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from commander.charts.data import Band, DeadlineMark, ImpactChartData, ResponseTimelineData
from commander.core.impact import Metric, Sample
from commander.reports.charts import report_charts

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _impact(samples: list[Sample]) -> ImpactChartData:
    return ImpactChartData("INC-1 — impact", {Metric.ERROR_RATE: samples})


def _response(phases: list[Band]) -> ResponseTimelineData:
    due = DeadlineMark("Acknowledge", T0 + timedelta(minutes=30), "on time", T0)
    return ResponseTimelineData("INC-1 — response", phases, [due])


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def test_both_charts_are_drawn_as_pngs_of_the_size_they_declare() -> None:
    charts = report_charts(
        _impact([Sample(T0, 12.0), Sample(T0 + timedelta(minutes=20), 30.0)]),
        _response([Band(T0, T0 + timedelta(minutes=40), "Detection")]),
    )
    assert [(c.key, c.title) for c in charts] == [
        ("impact", "Impact over time"),
        ("response", "Response timeline"),
    ]
    for chart in charts:
        assert _png_size(chart.png) == (chart.width_px, chart.height_px)


def test_a_chart_without_data_is_left_out() -> None:
    assert report_charts(None, None) == []
    assert report_charts(_impact([]), _response([])) == []
    only_response = report_charts(
        None, _response([Band(T0, T0 + timedelta(hours=1), "Mitigation")])
    )
    assert [c.key for c in only_response] == ["response"]
