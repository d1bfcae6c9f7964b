"""charts.export: a chart saved as PNG or SVG with its live (animated) lines drawn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.charts.data import ImpactChartData
from commander.charts.export import save_figure
from commander.charts.impact import ImpactChart
from commander.charts.theme import THEMES
from commander.core.errors import ValidationError
from commander.core.impact import Metric, Sample

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _impact_data() -> ImpactChartData:
    return ImpactChartData(
        "INC-1 — impact",
        {
            Metric.CUSTOMERS_PCT: [Sample(T0, 5.0), Sample(T0 + timedelta(minutes=10), 30.0)],
            Metric.ERROR_RATE: [Sample(T0 + timedelta(minutes=m), 10.0) for m in range(0, 30, 5)],
        },
        now=T0 + timedelta(hours=1),
    )


def test_export_png_and_svg_with_live_lines(tmp_path: Path) -> None:
    chart = ImpactChart(_impact_data(), THEMES["war-room"])
    png = save_figure(chart.figure, tmp_path / "impact.png")
    svg = save_figure(chart.figure, tmp_path / "impact.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in svg.read_text()
    assert all(line.get_animated() for line in chart.lines.values())  # restored after saving
    with pytest.raises(ValidationError, match=r"\.png or \.svg"):
        save_figure(chart.figure, tmp_path / "impact.jpg")
