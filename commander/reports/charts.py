"""Drawing the report's charts (impact over time, response timeline) as PNG bytes.

The figures come from ``commander.charts`` (matplotlib, no Qt); this module only asks them to
save themselves into memory, so the HTML can embed them and the PDF can place them.
"""

from __future__ import annotations

import io

from commander.charts.data import ImpactChartData, ResponseTimelineData
from commander.reports.model import ReportChart

DPI = 150


def _png(figure, key: str, title: str) -> ReportChart:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=figure.get_facecolor())
    width, height = figure.get_size_inches()
    return ReportChart(key, title, buffer.getvalue(), round(width * DPI), round(height * DPI))


def report_charts(
    impact: ImpactChartData | None, response: ResponseTimelineData | None
) -> list[ReportChart]:
    """The charts the record has data for: impact only when samples were recorded."""
    charts = []
    if impact is not None and any(impact.series.values()):
        from commander.charts.impact import impact_figure

        charts.append(_png(impact_figure(impact), "impact", "Impact over time"))
    if response is not None and response.phases:
        from commander.charts.response import response_figure

        charts.append(_png(response_figure(response), "response", "Response timeline"))
    return charts
