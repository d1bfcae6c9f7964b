"""The incident report: gathered from the record once, written in the format asked for.

``build`` collects everything the Incident Documentation Template asks for (summary, timeline,
review, action items) plus the roster, deadlines and charts into a ``ReportData``; the pure
renderers in ``commander.reports`` format it. The PDF needs Qt, so the caller (CLI, window)
passes the writer in; JSON is the lossless transfer format (``services.transfer``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from commander.core.deadlines import Deadline, DeadlineState, resolved_since
from commander.core.errors import ValidationError
from commander.core.impact import Metric, Sample
from commander.core.ops import Field
from commander.core.policy import Phase, Status
from commander.reports.model import (
    DeadlineLine,
    ImpactPeak,
    ReportData,
    ReportTimes,
)
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.transfer import (
    ImportSummary,
    export_document,
    import_document,
    read_document,
    write_document,
)
from commander.services.workspace import Workspace
from commander.storage import queries

FORMATS = ("md", "html", "pdf", "json", "ics214")
SUFFIXES = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json", "ics214": ".csv"}
FORMAT_NAMES = {
    "md": "Markdown",
    "html": "HTML",
    "pdf": "PDF",
    "json": "JSON (lossless)",
    "ics214": "ICS-214 activity log (CSV)",
}

PdfWriter = Callable[[ReportData, Path], Any]


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the report file and any images beside it."""

    path: Path
    format: str
    files: list[Path] = field(default_factory=list)
    timeline_rows: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "files": [str(path) for path in self.files],
            "timeline_rows": self.timeline_rows,
        }


def format_for(path: Path, fmt: str | None) -> str:
    """The format named, or the one the file name says (``.md``, ``.pdf`` ...)."""
    if fmt:
        key = fmt.strip().lower().lstrip(".").replace("-", "")
        key = {"markdown": "md", "htm": "html", "csv": "ics214", "ics": "ics214"}.get(key, key)
        if key not in FORMATS:
            raise ValidationError(f"Unknown report format {fmt!r}: use {', '.join(FORMATS)}.")
        return key
    by_suffix = {suffix: key for key, suffix in SUFFIXES.items()} | {".markdown": "md"}
    found = by_suffix.get(path.suffix.lower())
    if found is None:
        raise ValidationError(
            f"Cannot tell the format from {path.name!r}: name one with --format "
            f"({', '.join(FORMATS)})."
        )
    return found


class ReportService:
    """Reports of incidents in one workspace."""

    def __init__(self, workspace: Workspace, deadlines: DeadlineService) -> None:
        self._ws = workspace
        self._deadlines = deadlines
        self._incidents = IncidentService(workspace)
        self._roster = RosterService(workspace)
        self._impact = ImpactService(workspace)

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- gathering -----------------------------------------------------------------------

    def build(self, incident_id: str, *, charts: bool = True) -> ReportData:
        """Everything the report shows; ``charts`` draws the figures (matplotlib, ~0.5 s)."""
        incident = self._incidents.get(incident_id)
        now = self._ws.clock.now()
        deadlines = self._deadlines.deadlines(incident_id, now)
        roster = self._roster.roster(incident_id)
        series = self._impact.series(incident_id)
        report = ReportData(
            incident=incident,
            zone=self._ws.zone,
            generated_at=now,
            generated_by=self._ws.author,
            times=self._times(incident_id, deadlines, now),
            impact_peaks=_peaks(series),
            timeline=self._incidents.timeline(incident_id),
            roster=roster.lines,
            handoffs=roster.history,
            deadlines=[_deadline_line(d) for d in deadlines],
            teams={p.handle: p.team for p in self._roster.people(include_removed=True)},
        )
        if charts:
            report.charts = self._charts(incident_id)
        return report

    def record(self, incident_id: str) -> dict[str, Any]:
        """The readable record the JSON export carries (no charts)."""
        return self.build(incident_id, charts=False).to_json()

    def _times(self, incident_id: str, deadlines: list[Deadline], now: datetime) -> ReportTimes:
        facts = self._deadlines.facts(incident_id)
        with self._ws.read() as conn:
            history = queries.register_history(conn, incident_id)
        assert history is not None
        start = facts.declared_at
        resolved = resolved_since(facts, now)
        fixed = [
            at
            for at, s in history.changes_of(Field.STATUS)
            if Status(s) in (Status.MONITORING, Status.RESOLVED, Status.CLOSED)
        ] + [
            at
            for at, p in history.changes_of(Field.PHASE)
            if Phase(p) in (Phase.RESOLUTION, Phase.POST_INCIDENT)
        ]
        mitigated = min(fixed) if fixed else None
        ack = facts.acknowledged_at
        met = tuple(
            d.name
            for d in deadlines
            if d.state is DeadlineState.MET
            and (d.due is None or (d.met_at is not None and d.met_at <= d.due))
        )
        missed = tuple(
            d.name
            for d in deadlines
            if d.state is DeadlineState.OVERDUE
            or (d.state is DeadlineState.MET and d.due and d.met_at and d.met_at > d.due)
        )
        return ReportTimes(
            started_at=start,
            acknowledged_at=ack,
            mitigated_at=mitigated,
            resolved_at=resolved,
            time_to_acknowledge=_since(start, ack),
            time_to_mitigate=_since(start, mitigated),
            time_to_resolve=_since(start, resolved),
            duration=_since(start, resolved),
            deadlines_met=met,
            deadlines_missed=missed,
        )

    def _charts(self, incident_id: str) -> list[Any]:
        from commander.reports.charts import report_charts  # matplotlib: only when drawing
        from commander.services.charts import ChartDataService

        data = ChartDataService(self._ws, self._deadlines)
        return report_charts(data.impact(incident_id), data.response(incident_id))

    # -- writing -------------------------------------------------------------------------

    def render(self, report: ReportData, fmt: str, **options: Any) -> str:
        """A text format of ``report``: md, html or ics214."""
        if fmt == "md":
            from commander.reports.markdown import render_markdown

            return render_markdown(report, options.get("chart_links"))
        if fmt == "html":
            from commander.reports.html import render_html

            return render_html(report)
        if fmt == "ics214":
            from commander.reports.ics214 import render_ics214

            return render_ics214(report)
        raise ValidationError(f"{fmt} is not a text report format.")

    def export_json(self, incident_id: str) -> dict[str, Any]:
        return export_document(self._ws, incident_id, record=self.record(incident_id))

    def export(
        self,
        incident_id: str,
        fmt: str,
        path: Path,
        *,
        pdf_writer: PdfWriter | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> ExportResult:
        """Write the report of ``incident_id`` to ``path`` in ``fmt``.

        Markdown gets its charts as PNG files beside it (``NAME-impact.png`` ...).
        """
        say = progress or (lambda _message: None)
        path = Path(path)
        if fmt not in FORMATS:
            raise ValidationError(f"Unknown report format {fmt!r}: use {', '.join(FORMATS)}.")
        if not path.parent.is_dir():
            raise ValidationError(f"The folder {path.parent} does not exist.")
        if fmt == "json":
            say("Collecting the op log…")
            document = self.export_json(incident_id)
            write_document(document, path)
            rows = len(document["record"]["timeline"])
            return ExportResult(path, fmt, [path], rows)
        say("Gathering the record…")
        report = self.build(incident_id, charts=fmt in ("md", "html", "pdf"))
        files = [path]
        if fmt == "pdf":
            if pdf_writer is None:
                raise ValidationError("PDF export needs the Qt PDF writer.")
            say("Laying out the PDF…")
            pdf_writer(report, path)
        elif fmt == "md":
            links = {}
            for chart in report.charts:
                image = path.with_name(f"{path.stem}-{chart.key}.png")
                image.write_bytes(chart.png)
                links[chart.key] = image.name
                files.append(image)
            path.write_text(self.render(report, fmt, chart_links=links), encoding="utf-8")
        else:
            say("Writing the report…")
            newline = "" if fmt == "ics214" else None
            with path.open("w", encoding="utf-8", newline=newline) as handle:
                handle.write(self.render(report, fmt))
        return ExportResult(path, fmt, files, len(report.timeline))

    def import_file(self, path: Path) -> ImportSummary:
        """Add the incident in an export file to this workspace (refused if it is there)."""
        return import_document(self._ws, read_document(Path(path)))


def _since(start: datetime, at: datetime | None) -> timedelta | None:
    return None if at is None else max(at - start, timedelta(0))


def _deadline_line(deadline: Deadline) -> DeadlineLine:
    if deadline.met_at is not None:
        late = deadline.due is not None and deadline.met_at > deadline.due
        outcome = "late" if late else "on time"
    elif deadline.state is DeadlineState.OVERDUE:
        outcome = "missed"
    elif not deadline.applies:
        outcome = "not applicable"
    else:
        outcome = "open"
    return DeadlineLine(
        deadline.name,
        deadline.due,
        deadline.met_at,
        outcome,
        deadline.how or "",
        deadline.met_by or "",
    )


def _peaks(series: dict[Metric, list[Sample]]) -> list[ImpactPeak]:
    peaks = []
    for metric in Metric:
        samples = series.get(metric) or []
        if samples:
            top = max(samples, key=lambda s: (s.value, -s.at.timestamp()))
            peaks.append(ImpactPeak(metric.label, metric.unit, top.value, top.at, len(samples)))
    return peaks
