"""Impact chart speed: 10,000 samples and 500 annotations, beside a bare matplotlib line plot.

Run: ``.venv/bin/python benchmarks/charts.py``. Prints the time to build and render the impact
chart (target < 300 ms) and to show one new live sample (target < 50 ms), each beside the same
work done by a bare matplotlib line plot of the same points in the same run.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from commander.charts.data import Band, ImpactChartData, Marker
from commander.charts.impact import ImpactChart
from commander.core.impact import Metric, Sample

SAMPLES = 10_000
ANNOTATIONS = 500
T0 = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def _data(rng: random.Random) -> ImpactChartData:
    samples = [Sample(T0 + timedelta(seconds=n), rng.uniform(0, 50)) for n in range(SAMPLES)]
    markers = [
        Marker(T0 + timedelta(seconds=n * SAMPLES // ANNOTATIONS), f"event {n}")
        for n in range(ANNOTATIONS - 1)
    ]
    markers.append(Marker(T0 + timedelta(hours=1), "P0", "severity"))
    end = T0 + timedelta(seconds=SAMPLES)
    phases = [
        Band(T0, T0 + timedelta(hours=1), "Investigation"),
        Band(T0 + timedelta(hours=1), end, "Containment"),
    ]
    return ImpactChartData("benchmark", {Metric.ERROR_RATE: samples}, phases, markers, now=end)


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    rng = random.Random(7)
    render, append, bare_render, bare_append = [], [], [], []
    for _ in range(5):
        data = _data(rng)
        started = time.perf_counter()
        chart = ImpactChart(data)
        canvas = FigureCanvasAgg(chart.figure)
        chart.attach(canvas)
        canvas.draw()
        render.append(time.perf_counter() - started)
        for n in range(5):
            sample = Sample(T0 + timedelta(seconds=SAMPLES + n), rng.uniform(0, 50))
            started = time.perf_counter()
            chart.append(Metric.ERROR_RATE, sample)
            append.append(time.perf_counter() - started)

        xs = [s.at for s in data.series[Metric.ERROR_RATE]]
        ys = [s.value for s in data.series[Metric.ERROR_RATE]]
        started = time.perf_counter()
        figure = Figure(figsize=(9, 5))
        ax = figure.add_subplot(1, 1, 1)
        (line,) = ax.plot(xs, ys)
        bare = FigureCanvasAgg(figure)
        bare.draw()
        bare_render.append(time.perf_counter() - started)
        started = time.perf_counter()
        xs.append(T0 + timedelta(seconds=SAMPLES))
        ys.append(1.0)
        line.set_data(xs, ys)
        ax.relim()
        ax.autoscale_view()
        bare.draw()
        bare_append.append(time.perf_counter() - started)

    print(f"impact chart, {SAMPLES:,} samples and {ANNOTATIONS} annotations (median of 5):")
    print(
        f"  build + render    {_median_ms(render):7.1f} ms   bare line plot "
        f"{_median_ms(bare_render):7.1f} ms   target < 300 ms"
    )
    print(
        f"  one live sample   {_median_ms(append):7.1f} ms   bare line plot redraw "
        f"{_median_ms(bare_append):7.1f} ms   target < 50 ms"
    )


if __name__ == "__main__":
    main()
