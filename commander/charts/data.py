"""What the charts draw, as plain data: services build it, the chart modules only draw it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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

    def since(self, cutoff: datetime, *, per_metric: int | None = None) -> ImpactChartData:
        """Only what happened from ``cutoff`` on (at most ``per_metric`` latest samples each):
        a chart that follows an incident for days draws its latest hours, not its history."""
        series = {m: [s for s in samples if s.at >= cutoff] for m, samples in self.series.items()}
        if per_metric is not None:
            series = {m: samples[-per_metric:] for m, samples in series.items()}
        return replace(
            self,
            series={m: samples for m, samples in series.items() if samples},
            phases=[replace(b, start=max(b.start, cutoff)) for b in self.phases if b.end > cutoff],
            markers=[m for m in self.markers if m.at >= cutoff],
        )


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
