"""An entry written down well after the time it names is marked back-filled in the report,
with when it was recorded; an entry logged as it happened carries no such note."""

from __future__ import annotations

from datetime import timedelta

from commander.core.clock import FakeClock
from commander.reports.ics214 import render_ics214
from commander.reports.markdown import render_markdown
from commander.services.incidents import IncidentService

from .conftest import reports_for


def test_back_filled_entries_say_when_they_were_recorded(workspace, clock: FakeClock) -> None:
    t0 = clock.now()
    incidents = IncidentService(workspace)
    incident_id = incidents.declare(title="Queue stalled", severity="P2").incident.id
    clock.set(t0 + timedelta(minutes=1))
    incidents.log(incident_id, "consumers restarted")
    clock.set(t0 + timedelta(minutes=30))
    incidents.log(
        incident_id, "first page from the queue monitor", occurred_at=t0 + timedelta(minutes=5)
    )
    report = reports_for(workspace).build(incident_id, charts=False)
    markdown = render_markdown(report)
    row = next(line for line in markdown.splitlines() if "first page from the queue" in line)
    assert "back-filled: recorded 10:30" in row
    other = next(line for line in markdown.splitlines() if "consumers restarted" in line)
    assert "back-filled" not in other
    assert "back-filled: recorded 10:30" in render_ics214(report)
