"""The incident report as Markdown (CommonMark + GitHub tables): for wikis, tickets and review.

Charts are linked, not embedded: the caller writes the PNGs beside the file and passes their
relative paths in ``chart_links`` (a Markdown viewer shows them; the text stays readable), and
likewise the timeline's files in ``file_links``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from commander.core.attachments import size_text_of
from commander.reports import text
from commander.reports.model import ReportData
from commander.reports.sections import (
    action_item_groups,
    deadline_rows,
    handoff_rows,
    review_sections,
    roster_rows,
    summary_rows,
)


def cell(value: str) -> str:
    """Text safe inside a table cell: pipes escaped, line breaks kept, no raw HTML."""
    value = value.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")
    return "<br>".join(line.strip() for line in value.strip().splitlines()) or " "


def block(value: str) -> str:
    """Free text (a review field) as paragraphs; raw HTML is shown, not run."""
    return value.replace("\\", "\\\\").replace("<", "\\<").strip()


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return lines


def _key_events(report: ReportData) -> list[str]:
    """The key events first, then the heading of the full timeline below them."""
    key = text.key_events(report)
    if not key:
        return ["*No entry is marked as a key event.*", ""]
    rows = [
        [at, text.entry_kind(entry), text.entry_event(entry), text.entry_owner(entry)]
        for at, entry in key
    ]
    lines = ["### Key events", ""]
    lines += table(["Time", "Kind", "Event", "Owner"], rows)
    return [*lines, "", "### All entries", ""]


def render_markdown(
    report: ReportData,
    chart_links: Mapping[str, str] | None = None,
    file_links: Mapping[str, str] | None = None,
) -> str:
    incident = report.incident
    out = [
        f"# {text.title(report)}",
        "",
        f"**{block(incident.title)}**",
        "",
        f"*Generated {text.when(report.generated_at, report.zone)} by "
        f"{block(report.generated_by)}. Times are in {text.zone_name(report)}.*",
        "",
        "## Incident Summary",
        "",
    ]
    out += table(["Field", "Value"], summary_rows(report))
    out += ["", "## Timeline", ""]
    if report.timeline:
        out += _key_events(report)
        rows = []
        for at, entry in zip(text.timeline_times(report), report.timeline, strict=True):
            event = text.entry_event(entry)
            action = text.entry_action(entry)
            if entry.struck:
                event = f"~~{event}~~" if event.strip() else event
                action = f"~~{action}~~" if action.strip() else action
            owner, note = text.entry_owner(entry), text.entry_note(entry, report.zone)
            rows.append([at, text.entry_kind(entry), event, action, owner, note])
        out += table(["Time", "Kind", "Event", "Action taken", "Owner", "Note"], rows)
        struck = sum(1 for entry in report.timeline if entry.struck)
        out += ["", f"{len(report.timeline)} entries, {struck} struck through."]
    else:
        out.append("No timeline entries.")
    for section in review_sections(report):
        out += ["", f"## {section.title}", ""]
        if not section.written:
            out.append("*Not written yet.*")
            continue
        for _key, label, value in section.fields:
            out += [f"**{label}**", "", block(value) or "*Not written.*", ""]
        while out and out[-1] == "":
            out.pop()
    out += ["", "## Action Items", ""]
    groups = action_item_groups(report)
    if not any(items for _, items in groups):
        out.append("*No action items yet.*")
    for label, items in groups:
        if not items:
            continue
        out += [f"### {label}", ""]
        out += table(
            ["Action", "Owner", "Due", "Status"],
            [
                [
                    f"{item.title} ({item.tracker_url})" if item.tracker_url else item.title,
                    item.owner,
                    item.due.isoformat(),
                    f"{item.status} (overdue)" if item.overdue else item.status,
                ]
                for item in items
            ],
        )
        out.append("")
    while out and out[-1] == "":
        out.pop()
    out += ["", "## Response Team", ""]
    out += table(["Role", "Held by", "Since"], roster_rows(report))
    handoffs = handoff_rows(report)
    if handoffs:
        out += ["", "### Assignments and handoffs", ""]
        out += table(["Time", "Role", "From", "To", "By", "Note"], handoffs)
    out += ["", "## Deadlines", ""]
    times = report.times
    out.append(
        f"Met on time: {len(times.deadlines_met)}. "
        f"Missed or late: {', '.join(times.deadlines_missed) or 'none'}."
    )
    out.append("")
    out += table(["Deadline", "Due", "Met", "Outcome", "How"], deadline_rows(report))
    links = chart_links or {}
    shown = [chart for chart in report.charts if chart.key in links]
    if shown:
        out += ["", "## Charts", ""]
        for chart in shown:
            out += [f"![{chart.title}]({links[chart.key]})", ""]
        out.pop()
    out += files_section(report, file_links or {})
    return "\n".join(out) + "\n"


def files_section(report: ReportData, links: Mapping[str, str]) -> list[str]:
    """The timeline's files: a table, each linked to its copy beside the report (``links``:
    entry id -> relative path), and the images shown under it."""
    if not report.files:
        return []
    out = ["", "## Files", ""]
    rows = []
    for item in report.files:
        name = cell(item.ref.name)
        link = quote(links[item.entry_id]) if item.entry_id in links else None
        rows.append(
            [
                text.when(item.at, report.zone),
                f"[{name}]({link})" if link else f"{name} (bytes missing or changed)",
                size_text_of(item.ref.size),
                item.author,
                item.ref.sha256,
            ]
        )
    out += table(["Time", "File", "Size", "Attached by", "SHA-256"], rows)
    for item in report.files:
        if item.shown and item.entry_id in links:
            out += ["", f"![{cell(item.ref.name)}]({quote(links[item.entry_id])})"]
    return out
