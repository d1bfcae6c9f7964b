"""charts.impact: one panel per metric from plain samples, markers, the now line, live appends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import matplotlib.dates as mdates
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from commander.charts.data import (
    Band,
    ImpactChartData,
    Marker,
)
from commander.charts.impact import MARKERS_MAX, ImpactChart, decimate
from commander.core.impact import Metric, Sample

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _impact_data(now: datetime | None = T0 + timedelta(hours=2)) -> ImpactChartData:
    return ImpactChartData(
        title="INC-1 — impact",
        series={
            Metric.CUSTOMERS_PCT: [
                Sample(T0 + timedelta(minutes=m), v)
                for m, v in [(0, 5), (10, 30), (20, 42), (60, 3)]
            ],
            Metric.ERROR_RATE: [Sample(T0 + timedelta(minutes=m), 10.0) for m in range(0, 90, 5)],
        },
        phases=[
            Band(T0, T0 + timedelta(minutes=30), "Detection"),
            Band(T0 + timedelta(minutes=30), T0 + timedelta(hours=2), "Investigation"),
        ],
        markers=[
            Marker(T0 + timedelta(minutes=12), "P1", "severity"),
            Marker(T0 + timedelta(minutes=15), "Deadline met: Acknowledge"),
            Marker(T0 + timedelta(minutes=40), "Status changed: Investigating → Identified"),
        ],
        now=now,
    )


def test_impact_chart_has_one_panel_per_metric_with_every_sample() -> None:
    chart = ImpactChart(_impact_data())
    assert list(chart.axes) == [Metric.CUSTOMERS_PCT, Metric.ERROR_RATE]
    _xs, ys = chart.lines[Metric.CUSTOMERS_PCT].get_data()
    assert list(ys) == [5, 30, 42, 3]
    assert len(chart.lines[Metric.ERROR_RATE].get_xdata()) == 18
    top = chart.axes[Metric.CUSTOMERS_PCT]
    texts = [t.get_text() for t in top.texts]
    assert "P1" in texts  # the severity change, annotated
    assert "✔ Acknowledge" in texts and "Investigating → I…" in texts
    assert any("P1 threshold" in t for t in texts)  # the procedure's 25 % line
    assert len(chart.now_lines) == 2  # "now" on every panel while active
    assert top.get_ylabel().startswith("Customers affected")


def test_a_resolved_incident_has_no_now_line_and_an_empty_one_says_so() -> None:
    assert ImpactChart(_impact_data(now=None)).now_lines == []
    empty = ImpactChart(ImpactChartData("INC-2", {}))
    assert [t.get_text() for t in empty.figure.axes[0].texts] == ["No impact recorded yet"]


def test_live_append_extends_the_line_without_a_rebuild() -> None:
    chart = ImpactChart(_impact_data())
    canvas = FigureCanvasAgg(chart.figure)
    chart.attach(canvas)
    canvas.draw()
    axes_before = list(chart.figure.axes)
    chart.append(Metric.CUSTOMERS_PCT, Sample(T0 + timedelta(minutes=70), 2.0))
    assert list(chart.figure.axes) == axes_before
    assert list(chart.lines[Metric.CUSTOMERS_PCT].get_ydata()) == [5, 30, 42, 3, 2.0]
    chart.append(Metric.LATENCY_MS, Sample(T0 + timedelta(minutes=71), 900.0))  # a new panel
    assert Metric.LATENCY_MS in chart.axes


def test_decimation_keeps_every_spike() -> None:
    xs = [float(n) for n in range(10_000)]
    ys = [0.0] * 10_000
    ys[4321] = 99.0
    dx, dy = decimate(xs, ys, buckets=100)
    assert len(dx) <= 300 and 99.0 in list(dy)
    assert list(dx) == sorted(dx)


def test_times_are_plotted_as_given() -> None:
    chart = ImpactChart(_impact_data())
    xs = chart.lines[Metric.CUSTOMERS_PCT].get_xdata()
    assert mdates.num2date(xs[0]) == T0


def test_the_now_line_widens_the_time_axis_instead_of_leaving_it() -> None:
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    data = ImpactChartData(
        "INC-3", {Metric.ERROR_RATE: [Sample(start, 5.0)]}, now=start + timedelta(minutes=10)
    )
    chart = ImpactChart(data)
    ax = chart.axes[Metric.ERROR_RATE]
    right = ax.get_xlim()[1]
    later = start + timedelta(hours=2)
    chart.set_now(later)
    assert ax.get_xlim()[1] > mdates.date2num(later) > right
    assert chart.now_lines[0].get_xdata()[0] == mdates.date2num(later)


def test_the_current_phase_runs_on_to_the_now_line() -> None:
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    now = start + timedelta(minutes=10)
    data = ImpactChartData(
        "INC-5",
        {Metric.ERROR_RATE: [Sample(start, 5.0)]},
        phases=[
            Band(start, start + timedelta(minutes=4), "Detection"),
            Band(start + timedelta(minutes=4), now, "Investigation"),
        ],
        now=now,
    )
    chart = ImpactChart(data)
    (band,) = chart.open_bands  # the current phase only, not the finished one
    later = now + timedelta(hours=1)
    chart.set_now(later)
    assert band.get_x() + band.get_width() == pytest.approx(mdates.date2num(later))
    resolved = ImpactChart(replace(data, now=None))
    assert resolved.open_bands == []  # a resolved incident's last phase has ended


def test_a_live_line_that_grows_long_loses_its_dots() -> None:
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    chart = ImpactChart(ImpactChartData("INC-4", {Metric.ERROR_RATE: [Sample(start, 5.0)]}))
    line = chart.lines[Metric.ERROR_RATE]
    assert line.get_marker() == "o"  # few samples: each one is a dot
    for n in range(1, MARKERS_MAX + 1):
        chart.append(Metric.ERROR_RATE, Sample(start + timedelta(minutes=n), 5.0 + n % 7))
    assert line.get_marker() == "None"
    assert len(chart.data.series[Metric.ERROR_RATE]) == MARKERS_MAX + 1
