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
