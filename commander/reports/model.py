"""The incident report as data: what every format renders, gathered once by the report service.

The shape follows the procedure's "Incident Documentation Template" (Incident Summary,
Timeline, Root Cause, Resolution, Action Items), with the Root Cause Analysis Framework, the
response team and its handoffs, the deadlines met and missed, and the charts. Renderers only
format this; they never read the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from commander.core.attachments import AttachmentRef
from commander.core.clock import iso
from commander.core.procedure_fields import RecordedField
from commander.core.procedure_versions import ProcedureVersion
from commander.core.records import Incident, TimelineEntry
from commander.core.roles import Assignment, RosterLine
from commander.core.severity_names import BUILTIN, SeverityNames


@dataclass(frozen=True)
class ReportTimes:
    """The Incident Summary's times, all from the record (None: not recorded)."""

    started_at: datetime
    acknowledged_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    time_to_acknowledge: timedelta | None = None
    time_to_mitigate: timedelta | None = None
    time_to_resolve: timedelta | None = None
    duration: timedelta | None = None
    deadlines_met: tuple[str, ...] = ()
    deadlines_missed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImpactPeak:
    """The worst value one impact metric reached, and when."""

    label: str
    unit: str
    peak: float
    at: datetime
    samples: int

    @property
    def text(self) -> str:
        unit = "" if self.unit == "currency" else f" {self.unit}" if self.unit != "%" else " %"
        return f"{self.peak:g}{unit}"


@dataclass(frozen=True)
class DeadlineLine:
    """One deadline of the procedure and how it went."""

    name: str
    due: datetime | None
    met_at: datetime | None
    outcome: str  # "on time", "late", "missed", "open", "not applicable"
    how: str = ""
    met_by: str = ""


@dataclass(frozen=True)
class ReviewSection:
    """One section of the review with its fields as ``(key, label, text)``."""

    title: str
    fields: tuple[tuple[str, str, str], ...]

    @property
    def written(self) -> bool:
        return any(text.strip() for _, _, text in self.fields)


@dataclass(frozen=True)
class ReportItem:
    """An action item as the report lists it."""

    title: str
    owner: str
    term: str  # "Short-term (1-2 weeks)"
    due: date
    status: str  # "Open", "Done" ...
    tracker_url: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class ReportChart:
    """A chart drawn for the report, as PNG bytes."""

    key: str
    title: str
    png: bytes
    width_px: int
    height_px: int


@dataclass(frozen=True)
class ReportFile:
    """A file attached to the timeline: shown (images) or listed in the report, and written
    beside a Markdown export. ``data`` is None while its bytes have not arrived by sync."""

    entry_id: str
    at: datetime
    author: str
    ref: AttachmentRef
    data: bytes | None

    @property
    def shown(self) -> bool:
        """Whether the report draws it (an image whose bytes are here)."""
        return self.ref.is_image and self.data is not None


@dataclass
class ReportData:
    """Everything one incident report shows."""

    incident: Incident
    zone: tzinfo
    generated_at: datetime
    generated_by: str
    times: ReportTimes
    impact_peaks: list[ImpactPeak] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    roster: list[RosterLine] = field(default_factory=list)
    handoffs: list[Assignment] = field(default_factory=list)
    deadlines: list[DeadlineLine] = field(default_factory=list)
    review: list[ReviewSection] = field(default_factory=list)
    action_items: list[ReportItem] = field(default_factory=list)
    scheduled_review: datetime | None = None
    charts: list[ReportChart] = field(default_factory=list)
    files: list[ReportFile] = field(default_factory=list)
    teams: dict[str, str] = field(default_factory=dict)  # handle -> team (ICS "home agency")
    procedures: list[ProcedureVersion] = field(default_factory=list)  # at declaration, then changes
    severity_names: SeverityNames = BUILTIN  # what the loaded procedure calls the levels
    custom_fields: list[RecordedField] = field(default_factory=list)  # type, then fields

    @property
    def severity_key(self) -> str:
        return self.severity_names.key(self.incident.severity)

    @property
    def severity_name(self) -> str:
        return self.severity_names.name(self.incident.severity)

    # Hand-written: the export's readable record: nested shapes that are not the records' own.
    def to_json(self) -> dict[str, Any]:
        """The readable record: what the JSON export carries beside the ops."""
        times = self.times

        def when(value: datetime | None) -> str | None:
            return None if value is None else iso(value)

        def seconds(value: timedelta | None) -> float | None:
            return None if value is None else value.total_seconds()

        return {
            "incident": self.incident.to_json(),
            "summary": {
                "started_at": when(times.started_at),
                "acknowledged_at": when(times.acknowledged_at),
                "mitigated_at": when(times.mitigated_at),
                "resolved_at": when(times.resolved_at),
                "time_to_acknowledge_seconds": seconds(times.time_to_acknowledge),
                "time_to_mitigate_seconds": seconds(times.time_to_mitigate),
                "time_to_resolve_seconds": seconds(times.time_to_resolve),
                "duration_seconds": seconds(times.duration),
                "deadlines_met": list(times.deadlines_met),
                "deadlines_missed": list(times.deadlines_missed),
                "impact_peaks": [
                    {
                        "metric": peak.label,
                        "unit": peak.unit,
                        "peak": peak.peak,
                        "at": iso(peak.at),
                        "samples": peak.samples,
                    }
                    for peak in self.impact_peaks
                ],
            },
            "timeline": [{**entry.to_json(), "hlc": entry.hlc} for entry in self.timeline],
            "roster": [line.to_json() for line in self.roster],
            "handoffs": [assignment.to_json() for assignment in self.handoffs],
            "deadlines": [
                {
                    "name": line.name,
                    "due": when(line.due),
                    "met_at": when(line.met_at),
                    "outcome": line.outcome,
                    "how": line.how or None,
                    "met_by": line.met_by or None,
                }
                for line in self.deadlines
            ],
            "review": {
                key: text for section in self.review for key, _label, text in section.fields
            },
            "action_items": [
                {
                    "title": item.title,
                    "owner": item.owner,
                    "term": item.term,
                    "due": item.due.isoformat(),
                    "status": item.status,
                    "tracker_url": item.tracker_url or None,
                }
                for item in self.action_items
            ],
            "scheduled_review": when(self.scheduled_review),
            "procedures": [version.to_json() for version in self.procedures],
            "fields": [recorded.to_json() for recorded in self.custom_fields],
        }
