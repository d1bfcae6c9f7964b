"""Gathering what the charts draw from the record: impact, phases, deadlines, across incidents.

Only plain data comes out (``commander.charts.data``); this module never imports matplotlib, so
asking for chart data costs nothing at start-up.
"""

from __future__ import annotations

from datetime import datetime

from commander.charts.data import (
    Band,
    DeadlineMark,
    FlowchartData,
    ImpactChartData,
    IncidentMetrics,
    Marker,
    ResponseTimelineData,
)
from commander.core.deadlines import Deadline, DeadlineKind, DeadlineState, resolved_since
from commander.core.errors import NotFoundError
from commander.core.ops import Field
from commander.core.policy import Phase
from commander.core.records import Incident
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import queries

_KEY_EVENT_PREFIXES = ("Status changed", "Deadline met", "Internal update sent", "Deadline missed")


class ChartDataService:
    """Chart inputs for one workspace."""

    def __init__(self, workspace: Workspace, deadlines: DeadlineService) -> None:
        self._ws = workspace
        self._deadlines = deadlines
        self._incidents = IncidentService(workspace)
        self._impact = ImpactService(workspace)

    def impact(self, incident_id: str) -> ImpactChartData:
        incident = self._incidents.get(incident_id)
        now = self._ws.clock.now()
        end = self._end(incident_id, now)
        phases = self._phase_bands(incident_id, end)
        markers = [
            Marker(at, f"{value}", "severity")
            for at, value in self._history(incident_id).changes_of(Field.SEVERITY)
        ]
        markers += [
            Marker(entry.occurred_at, entry.event, "event")
            for entry in self._incidents.timeline(incident_id)
            if entry.kind == "system" and entry.event.startswith(_KEY_EVENT_PREFIXES)
        ]
        return ImpactChartData(
            title=f"Impact — {incident.ref}",
            series=self._impact.series(incident_id),
            phases=phases,
            markers=markers,
            now=now if incident.status.is_active else None,
            zone=self._ws.zone,
        )

    def response(self, incident_id: str) -> ResponseTimelineData:
        incident = self._incidents.get(incident_id)
        now = self._ws.clock.now()
        phases = self._phase_bands(incident_id, self._end(incident_id, now))
        marks = [_mark(d) for d in self._deadlines.deadlines(incident_id, now) if d.due]
        return ResponseTimelineData(
            title=f"{incident.ref} — response timeline",
            phases=phases,
            deadlines=marks,
            now=now if incident.status.is_active else None,
            zone=self._ws.zone,
        )

    def flowchart(self, incident_id: str) -> FlowchartData:
        incident = self._incidents.get(incident_id)
        return FlowchartData(
            severity=incident.severity,
            partners_affected=incident.partners_affected,
            phase=incident.phase,
            security_related=incident.security_related,
        )

    def metrics(self) -> list[IncidentMetrics]:
        """Response figures of every incident, for the Reports view."""
        now = self._ws.clock.now()
        return [self._metrics(incident, now) for incident in self._incidents.list()]

    # -- helpers -------------------------------------------------------------------------

    def _metrics(self, incident: Incident, now: datetime) -> IncidentMetrics:
        facts = self._deadlines.facts(incident.id)
        found = self._deadlines.compute(facts, now)
        by_key = {d.key: d for d in found}
        response = by_key.get(DeadlineKind.RESPONSE)
        resolved = resolved_since(facts, now)
        ack = response.met_at if response is not None else None
        due = [d for d in found if d.due is not None and d.due <= now and d.applies]
        on_time = [d for d in due if d.met_at is not None and d.met_at <= d.due]  # type: ignore[operator]
        return IncidentMetrics(
            ref=incident.ref,
            severity=incident.severity,
            declared_at=incident.declared_at,
            minutes_to_acknowledge=_minutes(incident.declared_at, ack),
            minutes_to_resolve=_minutes(incident.declared_at, resolved),
            deadlines_met_on_time=len(on_time),
            deadlines_due=len(due),
        )

    def _history(self, incident_id: str) -> queries.RegisterHistory:
        with self._ws.read() as conn:
            history = queries.register_history(conn, incident_id)
        if history is None:
            raise NotFoundError(f"No incident with id {incident_id}.")
        return history

    def _end(self, incident_id: str, now: datetime) -> datetime:
        """Where the phase bands stop: now while active, else the resolution."""
        return resolved_since(self._deadlines.facts(incident_id), now) or now

    def _phase_bands(self, incident_id: str, end: datetime) -> list[Band]:
        changes = self._history(incident_id).of(Field.PHASE)
        bands = []
        for n, (start, value) in enumerate(changes):
            stop = changes[n + 1][0] if n + 1 < len(changes) else max(end, start)
            bands.append(Band(start, stop, Phase(value).label))
        return bands


def _mark(deadline: Deadline) -> DeadlineMark:
    assert deadline.due is not None
    if deadline.met_at is not None:
        outcome = "on time" if deadline.met_at <= deadline.due else "late"
    elif deadline.state is DeadlineState.OVERDUE:
        outcome = "missed"
    else:
        outcome = "open"
    return DeadlineMark(deadline.name, deadline.due, outcome, deadline.met_at)


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max(0.0, (end - start).total_seconds() / 60)
