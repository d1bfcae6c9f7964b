"""What the charts draw, as plain data: services build it, the chart modules only draw it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from commander.core.impact import Metric, Sample
from commander.core.policy import Phase, Severity


@dataclass(frozen=True)
class Band:
    """A span of time with a name: a phase, a status."""

    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class Marker:
    """A moment worth pointing at: a severity change, a key timeline event."""

    at: datetime
    label: str
    kind: str = "event"  # "severity" or "event"


@dataclass
class ImpactChartData:
    title: str
    series: dict[Metric, list[Sample]]
    phases: list[Band] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    now: datetime | None = None  # drawn as a line while the incident is active
    zone: tzinfo = UTC


@dataclass(frozen=True)
class DeadlineMark:
    name: str
    due: datetime
    outcome: str  # "on time", "late", "missed", "open"
    met_at: datetime | None = None


@dataclass
class ResponseTimelineData:
    title: str
    phases: list[Band]
    deadlines: list[DeadlineMark]
    now: datetime | None = None
    zone: tzinfo = UTC


@dataclass(frozen=True)
class IncidentMetrics:
    """One incident's response figures, for the Reports view across incidents."""

    ref: str
    severity: Severity
    declared_at: datetime
    minutes_to_acknowledge: float | None
    minutes_to_resolve: float | None
    deadlines_met_on_time: int
    deadlines_due: int


@dataclass(frozen=True)
class FlowchartData:
    severity: Severity
    partners_affected: bool
    phase: Phase
    security_related: bool = False
