"""charts.reports: the Reports view compares response times and deadlines kept per severity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.charts.data import IncidentMetrics
from commander.charts.reports import reports_figure
from commander.core.policy import Severity

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_reports_compare_severities() -> None:
    metrics = [
        IncidentMetrics("INC-1", Severity.P0, T0, 5.0, 90.0, 4, 5),
        IncidentMetrics("INC-2", Severity.P1, T0 + timedelta(days=7), 12.0, None, 2, 2),
    ]
    times, weekly, kept = reports_figure(metrics).axes
    assert len(weekly.patches) == 2 * 4  # two weeks x four severities
    assert [t.get_text() for t in kept.texts] == ["80 %", "100 %", "none due", "none due"]
    assert times.get_title().startswith("Time to acknowledge")
