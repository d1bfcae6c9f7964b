"""Impact samples as ops: stored and logged, pasted rows, refused input, struck samples."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.errors import NotFoundError, ValidationError
from commander.core.impact import Metric
from commander.services.charts import ChartDataService
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService


@pytest.fixture
def impact(workspace) -> ImpactService:
    return ImpactService(workspace)


@pytest.fixture
def charts(workspace) -> ChartDataService:
    return ChartDataService(workspace, DeadlineService(workspace, hours=BusinessHours(zone=UTC)))


def test_a_sample_is_stored_and_logged(incidents, impact, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    clock.advance(300)
    impact.add(incident.id, "customers_pct", 30)
    [sample] = impact.samples(incident.id)
    assert (sample.metric, sample.value, sample.at) == (Metric.CUSTOMERS_PCT, 30.0, clock.now())
    assert incidents.timeline(incident.id)[-1].event == "Impact: Customers affected 30 % at 10:05"


def test_pasted_rows_record_in_one_go_and_name_what_was_skipped(incidents, impact, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    clock.advance(3600)
    text = "time,value\n10:05,12\n10:10;18\nnonsense\n10:20\t120\n2026-11-28T10:30:00Z,7\n"
    result, _ = impact.add_rows(incident.id, "error_rate", text)
    assert [s.value for s in result.samples] == [12, 18, 7]
    assert [n for n, _why in result.skipped] == [4, 5]
    assert "above 100" in result.skipped[1][1]
    assert len(impact.series(incident.id)[Metric.ERROR_RATE]) == 3
    assert "(2 rows skipped)" in incidents.timeline(incident.id)[-1].event


def test_bad_impact_input_is_refused(incidents, impact, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    with pytest.raises(ValidationError, match="Unknown impact metric"):
        impact.add(incident.id, "happiness", 1)
    with pytest.raises(ValidationError, match="cannot be negative"):
        impact.add(incident.id, "customers", -1)
    with pytest.raises(ValidationError, match="future"):
        impact.add(incident.id, "customers", 1, clock.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="No samples"):
        impact.add_rows(incident.id, "customers", "garbage\nmore garbage")
    with pytest.raises(NotFoundError):
        impact.add("missing", "customers", 1)


def test_a_struck_sample_leaves_the_series(incidents, impact) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    impact.add(incident.id, "latency_ms", 900)
    [sample] = impact.samples(incident.id)
    impact.strike(sample.id, "wrong dashboard")
    assert impact.samples(incident.id) == []
    with pytest.raises(ValidationError, match="Reason"):
        impact.strike(sample.id, "")
