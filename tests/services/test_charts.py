"""Chart inputs gathered from a real workspace: impact series, phases, markers, deadlines."""

from __future__ import annotations

from datetime import UTC

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.impact import Metric
from commander.services.charts import ChartDataService
from commander.services.deadlines import DeadlineService
from commander.services.demo.create import create_demo


@pytest.fixture
def charts(workspace) -> ChartDataService:
    return ChartDataService(workspace, DeadlineService(workspace, hours=BusinessHours(zone=UTC)))


def test_chart_data_from_the_demo(workspace, charts) -> None:
    demo = create_demo(workspace).incident
    data = charts.impact(demo.id)
    assert set(data.series) == {Metric.CUSTOMERS_PCT, Metric.ERROR_RATE, Metric.PARTNERS}
    assert data.phases[0].label == "Detection & initial response"
    assert len(data.phases) == 5
    assert [m.label for m in data.markers if m.kind == "severity"] == ["P1"]
    assert any(m.label.startswith("Deadline met") for m in data.markers)
    assert data.now is None  # resolved: no "now" line
    response = charts.response(demo.id)
    outcomes = {d.name: d.outcome for d in response.deadlines}
    assert outcomes["Acknowledge"] == "on time"
    assert outcomes["Post-incident review"] == "open"
    flow = charts.flowchart(demo.id)
    assert flow.partners_affected and flow.severity.value == "P1"
    [metrics] = charts.metrics()
    assert metrics.minutes_to_resolve is not None and metrics.deadlines_due >= 4
    assert metrics.deadlines_met_on_time == metrics.deadlines_due
