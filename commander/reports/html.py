"""The incident report as one self-contained, printable HTML file (and the PDF's source).

Self-contained: the style is inline and the charts are ``data:`` URIs, so the file can be
mailed or attached to a ticket and still show everything. Printable: A4 page rules, the table
header repeats on every page, big sections start on a new page. The same template
(``templates/report.html.j2``, its style sheets beside it), with ``for_qt``, feeds Qt's
rich-text engine for the PDF, which understands a smaller CSS subset (no ``@media``, table
borders as attributes) and takes images by resource name.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from commander.core.attachments import size_text_of
from commander.reports import text
from commander.reports.model import ReportChart, ReportData, ReportFile
from commander.reports.render import render
from commander.reports.sections import (
    action_item_groups,
    deadline_rows,
    handoff_rows,
    key_event_rows,
    review_sections,
    roster_rows,
    summary_rows,
    timeline_rows,
)

ACCENT = "#3a5b5b"
SEVERITY_COLOURS = {"P0": "#b23b00", "P1": "#a86500", "P2": "#005a8c", "P3": "#2d6f8f"}


def data_uri(chart: ReportChart) -> str:
    return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")


def qt_resource(chart: ReportChart) -> str:
    """The name the PDF writer registers the chart's image under."""
    return f"chart-{chart.key}.png"


def file_resource(item: ReportFile) -> str:
    """The name the PDF writer registers an attached image under."""
    return f"file-{item.ref.sha256[:16]}"


def file_data_uri(item: ReportFile) -> str:
    assert item.data is not None
    return f"data:{item.ref.media_type};base64," + base64.b64encode(item.data).decode("ascii")


def _file_rows(report: ReportData, for_qt: bool) -> list[dict[str, object]]:
    width = 640 if for_qt else 900
    return [
        {
            "time": text.when(item.at, report.zone),
            "name": item.ref.name,
            "size": size_text_of(item.ref.size),
            "author": item.author,
            "sha256": item.ref.sha256,
            "missing": item.data is None,
            "src": (file_resource(item) if for_qt else file_data_uri(item)) if item.shown else "",
            "width": width,
        }
        for item in report.files
    ]


def render_html(
    report: ReportData,
    *,
    for_qt: bool = False,
    image_src: Callable[[ReportChart], str] | None = None,
) -> str:
    """The report as an HTML document.

    Args:
        for_qt: markup for ``QTextDocument`` (the PDF) rather than a browser.
        image_src: how a chart is referenced; default a ``data:`` URI (browser) or
            ``qt_resource`` (Qt).
    """
    source = image_src or (qt_resource if for_qt else data_uri)
    timeline = timeline_rows(report)
    width = 640 if for_qt else 900
    charts = [
        {
            "title": chart.title,
            "src": source(chart),
            "width": width,
            "height": round(width * chart.height_px / max(chart.width_px, 1)),
        }
        for chart in report.charts
    ]
    incident = report.incident
    return render(
        "report.html.j2",
        qt=for_qt,
        accent=ACCENT,
        title=text.title(report),
        incident=incident,
        severity_colour=_badge_colour(report),
        severity_name=report.severity_name,
        severity_key=report.severity_key,
        generated=text.when(report.generated_at, report.zone),
        generated_by=report.generated_by,
        zone=text.zone_name(report),
        summary=summary_rows(report),
        duration=text.duration(report.times.duration),
        time_to_ack=text.duration(report.times.time_to_acknowledge),
        time_to_resolve=text.duration(report.times.time_to_resolve),
        timeline=timeline,
        key_events=key_event_rows(timeline),
        struck_count=sum(1 for row in timeline if row.struck),
        sections=review_sections(report),
        item_groups=action_item_groups(report),
        roster=roster_rows(report),
        handoffs=handoff_rows(report),
        deadlines=deadline_rows(report),
        met=len(report.times.deadlines_met),
        missed=report.times.deadlines_missed,
        charts=charts,
        files=_file_rows(report, for_qt),
    )


def _badge_colour(report: ReportData) -> str:
    """The loaded procedure's colour for the level, else the built-in palette's."""
    spec = report.severity_names.spec(report.incident.severity)
    if spec is not None and spec.colour:
        return spec.colour
    return SEVERITY_COLOURS.get(report.incident.severity.value, ACCENT)
