"""The incident report as Markdown (CommonMark + GitHub tables): for wikis, tickets and review.

The layout is ``templates/report.md.j2``; this module hands it the report's rows. Charts are
linked, not embedded: the caller writes the PNGs beside the file and passes their relative
paths in ``chart_links`` (a Markdown viewer shows them; the text stays readable), and
likewise the timeline's files in ``file_links``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from commander.core.attachments import size_text_of
from commander.reports import text
from commander.reports.model import ReportData
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


def render_markdown(
    report: ReportData,
    chart_links: Mapping[str, str] | None = None,
    file_links: Mapping[str, str] | None = None,
) -> str:
    links = chart_links or {}
    timeline = timeline_rows(report)
    return render(
        "report.md.j2",
        title=text.title(report),
        incident=report.incident,
        generated=text.when(report.generated_at, report.zone),
        generated_by=report.generated_by,
        zone=text.zone_name(report),
        summary=summary_rows(report),
        timeline=timeline,
        key_events=key_event_rows(timeline),
        struck_count=sum(1 for row in timeline if row.struck),
        sections=review_sections(report),
        item_groups=action_item_groups(report),
        roster=roster_rows(report),
        handoffs=handoff_rows(report),
        met=len(report.times.deadlines_met),
        missed=report.times.deadlines_missed,
        deadlines=deadline_rows(report),
        charts=[(chart.title, links[chart.key]) for chart in report.charts if chart.key in links],
        files=_file_rows(report, file_links or {}),
    )


def _file_rows(report: ReportData, links: Mapping[str, str]) -> list[dict[str, object]]:
    """The timeline's files, each linked to its copy beside the report (``links``: entry id
    -> relative path; no link: its bytes are missing or changed)."""
    return [
        {
            "time": text.when(item.at, report.zone),
            "name": item.ref.name,
            "link": quote(links[item.entry_id]) if item.entry_id in links else "",
            "size": size_text_of(item.ref.size),
            "author": item.author,
            "sha256": item.ref.sha256,
            "shown": item.shown,
        }
        for item in report.files
    ]
