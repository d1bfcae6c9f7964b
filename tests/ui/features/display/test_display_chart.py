"""The wall's impact chart follows new samples by reading only what is new."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.impact import Metric
from commander.services.impact import ImpactService


@pytest.fixture
def impact(workspace):  # type: ignore[no-untyped-def]
    return ImpactService(workspace)


def _shown(window, incident_id: str):  # type: ignore[no-untyped-def]
    window.poll()
    return window.chart.charts[incident_id]


def _values(shown, metric: Metric) -> list[float]:  # type: ignore[no-untyped-def]
    return [s.value for s in shown.chart.data.series.get(metric, [])]


def test_new_samples_are_appended_without_reading_the_history(
    make_display, incidents, impact, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Checkout down", severity="P1").incident
    impact.add(incident.id, Metric.ERROR_RATE, 5)
    window = make_display()
    shown = _shown(window, incident.id)
    canvas = shown.canvas

    def whole_history(*_args):  # type: ignore[no-untyped-def]
        raise AssertionError("the display re-read the whole series")

    monkeypatch.setattr(ImpactService, "series", whole_history)
    for value in (7, 9, 12):
        clock.advance(60)
        impact.add(incident.id, Metric.ERROR_RATE, value)
        window.poll()
    shown = window.chart.charts[incident.id]
    assert shown.canvas is canvas  # appended to, not rebuilt
    assert shown.chart.data.title.endswith(incident.ref)  # all of it shown: no "last 6 h"
    assert _values(shown, Metric.ERROR_RATE) == [5, 7, 9, 12]
    assert shown.counts[Metric.ERROR_RATE] == 4


def test_a_struck_sample_rebuilds_the_chart_without_it(
    make_display, incidents, impact, clock
) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Checkout down", severity="P1").incident
    impact.add(incident.id, Metric.ERROR_RATE, 5)
    clock.advance(60)
    impact.add(incident.id, Metric.ERROR_RATE, 99)
    window = make_display()
    canvas = _shown(window, incident.id).canvas
    wrong = next(s for s in impact.samples(incident.id) if s.value == 99)
    impact.strike(wrong.id, "typo")
    shown = _shown(window, incident.id)
    assert shown.canvas is not canvas
    assert _values(shown, Metric.ERROR_RATE) == [5]


def test_a_late_sample_or_a_new_metric_rebuilds_in_time_order(
    make_display, incidents, impact, clock
) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Checkout down", severity="P1").incident
    start = clock.now()
    clock.advance(600)
    impact.add(incident.id, Metric.ERROR_RATE, 5)
    window = make_display()
    canvas = _shown(window, incident.id).canvas
    impact.add(incident.id, Metric.ERROR_RATE, 3, at=start + timedelta(minutes=2))  # back-filled
    shown = _shown(window, incident.id)
    assert shown.canvas is not canvas
    assert _values(shown, Metric.ERROR_RATE) == [3, 5]
    impact.add(incident.id, Metric.LATENCY_MS, 800)
    shown = _shown(window, incident.id)
    assert set(shown.chart.axes) == {Metric.ERROR_RATE, Metric.LATENCY_MS}
    assert _values(shown, Metric.LATENCY_MS) == [800]


def test_the_chart_moves_on_to_the_latest_hours(make_display, incidents, impact, clock) -> None:  # type: ignore[no-untyped-def]
    """Hours of samples: the wall draws about its window, never the growing history."""
    from commander.ui.features.display.chart import SLIDE

    incident = incidents.declare(title="Checkout down", severity="P1").incident
    window = make_display(chart_hours=1)
    canvases = set()
    most = 0
    for step in range(1, 6 * 10 + 1):  # ten hours, a sample every 10 minutes
        clock.advance(600)
        impact.add(incident.id, Metric.LATENCY_MS, step)
        window.poll()
        window.tick()
        shown = window.chart.charts[incident.id]
        canvases.add(id(shown.canvas))
        drawn = shown.chart.data.series[Metric.LATENCY_MS]
        most = max(most, len(drawn))
        assert drawn[-1].value == step  # the newest sample is always on the wall
        assert drawn[0].at >= clock.now() - timedelta(hours=1 + SLIDE)
    assert shown.chart.data.title.endswith(" · last 1 h")  # the left edge is not the start
    assert most <= 6 * (1 + SLIDE) + 1
    assert len(canvases) >= 9  # it moved on about every 6 minutes past its first hour
    assert shown.counts[Metric.LATENCY_MS] == 6 * 10  # the count check still sees them all


def test_the_clock_alone_moves_a_quiet_chart_on(make_display, incidents, impact, clock) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Checkout down", severity="P1").incident
    impact.add(incident.id, Metric.ERROR_RATE, 5)
    window = make_display(chart_hours=1)
    canvas = _shown(window, incident.id).canvas
    clock.advance(30 * 60)
    window.tick()
    assert window.chart.charts[incident.id].canvas is canvas  # still inside its window
    clock.advance(2 * 3600)
    window.tick()
    shown = window.chart.charts[incident.id]
    assert shown.canvas is not canvas
    texts = [t.get_text() for ax in shown.chart.figure.axes for t in ax.texts]
    assert texts == ["No impact recorded in the last 1 h"]
    clock.advance(60)
    impact.add(incident.id, Metric.ERROR_RATE, 7)  # impact again: drawn at once
    shown = _shown(window, incident.id)
    assert _values(shown, Metric.ERROR_RATE) == [7]


def test_a_resolved_incident_is_not_rebuilt_each_time_it_is_shown(
    make_display, incidents, impact, clock
) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Checkout down", severity="P1").incident
    impact.add(incident.id, Metric.ERROR_RATE, 5)
    incidents.set_field(incident.id, "status", "resolved")
    window = make_display(incident=incident.id, chart_hours=1)
    canvas = _shown(window, incident.id).canvas
    clock.advance(5 * 3600)  # far past the window: its picture cannot change with time
    window.chart.show_incident(incident.id)
    window.tick()
    assert window.chart.charts[incident.id].canvas is canvas


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_metric_names_sit_above_their_lines_in_wall_sized_text(
    make_display, incidents, impact, clock, size
) -> None:  # type: ignore[no-untyped-def]
    """The names used to be drawn inside each panel, over the start of its line."""
    incident = incidents.declare(title="Checkout down", severity="P1").incident
    for value in (80, 95, 90):
        impact.add(incident.id, Metric.ERROR_RATE, value)
        impact.add(incident.id, Metric.LATENCY_MS, value * 10)
        clock.advance(60)
    window = make_display(size)
    shown = _shown(window, incident.id)
    shown.canvas.draw()
    renderer = shown.canvas.get_renderer()
    axes = [shown.chart.axes[Metric.ERROR_RATE], shown.chart.axes[Metric.LATENCY_MS]]
    dpi = shown.chart.figure.dpi
    for n, ax in enumerate(axes):
        label = ax._left_title  # set_title(loc="left")
        title = label.get_window_extent(renderer)
        plot = ax.get_window_extent(renderer)
        assert title.y0 >= plot.y1 - 1  # above its own panel, not over the line
        assert label.get_text() and label.get_fontsize() * dpi / 72 >= 0.6 * (
            window.height() // 45
        )  # about as tall as the wall's other text
        if n:
            above = axes[n - 1].get_window_extent(renderer)
            ticks = [t.get_window_extent(renderer) for t in axes[n - 1].get_xticklabels()]
            assert title.y1 <= above.y0 + 1  # below the panel above
            assert not any(title.overlaps(t) for t in ticks if t.width)
