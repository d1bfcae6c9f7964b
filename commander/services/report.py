"""The incident report: gathered from the record once, written in the format asked for.

``build`` collects everything the Incident Documentation Template asks for (summary, timeline,
review, action items) plus the roster, deadlines and charts into a ``ReportData``; the pure
renderers in ``commander.reports`` format it. The PDF needs Qt, so the caller (CLI, window)
passes the writer in; JSON is the lossless transfer format (``services.transfer``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from commander.core.attachments import digest
from commander.core.deadlines import Deadline, DeadlineState
from commander.core.errors import ValidationError
from commander.core.impact import Metric, Sample
from commander.core.procedure_fields import RecordedField, recorded_fields
from commander.core.procedure_versions import ProcedureVersion
from commander.core.records import TimelineEntry
from commander.core.records_json import JsonRecord
from commander.core.review import REVIEW_SECTIONS, STATUS_LABELS, TERM_LABELS, TERM_SPANS
from commander.reports.model import (
    DeadlineLine,
    ImpactPeak,
    ReportData,
    ReportFile,
    ReportItem,
    ReportTimes,
    ReviewSection,
)
from commander.services.action_items import ActionItemService
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.procedures import procedure_versions
from commander.services.report_link import remember_report
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.services.transfer import (
    ImportSummary,
    export_document,
    import_document,
    read_document,
    write_document,
)
from commander.services.workspace import Workspace
from commander.storage import blobs
from commander.storage.incident_fields import current_values, incident_fields

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
class ExportResult(JsonRecord):
    """What an export wrote: the report file and any images beside it."""

    path: Path
    format: str
    files: list[Path] = field(default_factory=list)
    timeline_rows: int = 0


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
        self._people = PeopleService(workspace)
        self._impact = ImpactService(workspace)
        self._review = ReviewService(workspace, hours=deadlines.hours)
        self._items = ActionItemService(workspace)

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
            times=self._times(incident_id, now),
            impact_peaks=_peaks(series),
            timeline=self._incidents.timeline(incident_id),
            roster=roster.lines,
            handoffs=roster.history,
            deadlines=[_deadline_line(d) for d in deadlines],
            review=self._review_sections(incident_id),
            action_items=self._action_items(incident_id),
            scheduled_review=self._review.scheduled_review(incident_id),
            teams={p.handle: p.team for p in self._people.people(include_removed=True)},
            procedures=self._procedures(incident_id),
            severity_names=self._incidents.severity_names(),
            custom_fields=self._custom_fields(incident_id),
        )
        report.files = self._files(incident_id, report.timeline)
        if charts:
            report.charts = self._charts(incident_id)
        return report

    def _custom_fields(self, incident_id: str) -> list[RecordedField]:
        with self._ws.read() as conn:
            values = current_values(incident_fields(conn, incident_id))
        return recorded_fields(self._deadlines.procedure, values)

    def _procedures(self, incident_id: str) -> list[ProcedureVersion]:
        with self._ws.read() as conn:
            return procedure_versions(conn, incident_id)

    def _files(self, incident_id: str, timeline: list[TimelineEntry]) -> list[ReportFile]:
        """The timeline's files in its order, with their bytes when they are here and whole
        (a file whose bytes no longer match its SHA-256 is listed, never shown)."""
        entries = {entry.id: entry for entry in timeline}
        out: list[ReportFile] = []
        with self._ws.read() as conn:
            for held in blobs.for_incident(conn, incident_id):
                entry = entries.get(held.entry_id)
                if entry is None:
                    continue
                data = blobs.get(conn, held.ref.sha256)
                if data is not None and digest(data) != held.ref.sha256:
                    data = None
                out.append(ReportFile(entry.id, entry.occurred_at, entry.author, held.ref, data))
        return out

    def record(self, incident_id: str) -> dict[str, Any]:
        """The readable record the JSON export carries (no charts)."""
        return self.build(incident_id, charts=False).to_json()

    def _times(self, incident_id: str, now: datetime) -> ReportTimes:
        metrics = self._review.metrics(incident_id, now)
        return ReportTimes(
            started_at=metrics.started_at,
            acknowledged_at=metrics.acknowledged_at,
            mitigated_at=metrics.mitigated_at,
            resolved_at=metrics.resolved_at,
            time_to_acknowledge=metrics.time_to_acknowledge,
            time_to_mitigate=metrics.time_to_mitigate,
            time_to_resolve=metrics.time_to_resolve,
            duration=metrics.duration,
            deadlines_met=metrics.deadlines_met,
            deadlines_missed=metrics.deadlines_missed,
        )

    def _review_sections(self, incident_id: str) -> list[ReviewSection]:
        text = self._review.review_fields(incident_id)
        return [
            ReviewSection(title, tuple((key, label, text.get(key, "")) for key, label in fields))
            for title, fields in REVIEW_SECTIONS
        ]

    def _action_items(self, incident_id: str) -> list[ReportItem]:
        today = self._items.today()
        return [
            ReportItem(
                title=item.title,
                owner=item.owner,
                term=f"{TERM_LABELS.get(item.term, item.term)} ({TERM_SPANS.get(item.term, '')})",
                due=item.due,
                status=STATUS_LABELS.get(item.status, item.status),
                tracker_url=item.tracker_url,
                overdue=item.is_overdue(today),
            )
            for item in self._items.action_items(incident_id, today=today)
        ]

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

            return render_markdown(report, options.get("chart_links"), options.get("file_links"))
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

        Markdown gets its charts as PNG files beside it (``NAME-impact.png`` ...) and the
        timeline's files in a folder beside it (``NAME-files/``).
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
            file_links = {}
            folder = path.with_name(f"{path.stem}-files")
            for item in report.files:
                if item.data is None:
                    continue
                target = folder / item.ref.export_name()
                folder.mkdir(exist_ok=True)
                target.write_bytes(item.data)
                file_links[item.entry_id] = f"{folder.name}/{target.name}"
                files.append(target)
            text = self.render(report, fmt, chart_links=links, file_links=file_links)
            path.write_text(text, encoding="utf-8")
        else:
            say("Writing the report…")
            newline = "" if fmt == "ics214" else None
            with path.open("w", encoding="utf-8", newline=newline) as handle:
                handle.write(self.render(report, fmt))
        remember_report(self._ws, incident_id, path)  # the resolution notice links it
        return ExportResult(path, fmt, files, len(report.timeline))

    def import_file(self, path: Path) -> ImportSummary:
        """Add the incident in an export file to this workspace (refused if it is there)."""
        return import_document(self._ws, read_document(Path(path)))


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
