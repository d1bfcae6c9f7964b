"""The report's tables as rows of text, shared by every format so they all say the same."""

from __future__ import annotations

from dataclasses import dataclass

from commander.reports import text
from commander.reports.model import ReportData, ReportItem, ReviewSection

SUMMARY_SECTION = "Incident Summary"
TERMS = ("Short-term", "Medium-term", "Long-term")
_SUMMARY_REVIEW_LABELS = {
    "services_affected": "Services affected (review)",
    "customer_impact": "Customer impact (review)",
    "users_affected": "Users affected",
    "revenue_impact": "Revenue impact",
}


@dataclass(frozen=True)
class TimelineRow:
    """One timeline entry as every format shows it (the amendment, not the original)."""

    time: str  # the date on the first row and whenever the day changes
    kind: str
    key: bool
    event: str
    action: str
    owner: str
    note: str
    struck: bool
    system: bool


def timeline_rows(report: ReportData) -> list[TimelineRow]:
    times = text.timeline_times(report)
    return [
        TimelineRow(
            time=at,
            kind=text.entry_kind(entry),
            key=bool(entry.key_event),
            event=text.entry_event(entry),
            action=text.entry_action(entry),
            owner=text.entry_owner(entry),
            note=text.entry_note(entry, report.zone),
            struck=bool(entry.struck),
            system=entry.kind == "system",
        )
        for at, entry in zip(times, report.timeline, strict=True)
    ]


def key_event_rows(rows: list[TimelineRow]) -> list[TimelineRow]:
    """The rows marked key and not struck: what a reader looks at first."""
    return [row for row in rows if row.key and not row.struck]


def summary_rows(report: ReportData) -> list[list[str]]:
    """The template's Incident Summary: ID, severity, duration, services, impact; then times."""
    incident = report.incident
    times = report.times
    zone = report.zone
    rows = [
        ["Incident ID", f"{incident.ref} ({incident.id})"],
        ["Title", incident.title],
        ["Severity", f"{report.severity_key} — {report.severity_name}"],
        ["Status", incident.status.label],
        ["Phase", incident.phase.label],
        *procedure_rows(report),
        *([recorded.name, recorded.text] for recorded in report.custom_fields),
        ["Declared", f"{text.when(times.started_at, zone)} by {incident.declared_by}"],
        ["Acknowledged", text.when(times.acknowledged_at, zone)],
        ["Mitigated", text.when(times.mitigated_at, zone)],
        ["Resolved", text.when(times.resolved_at, zone)],
        ["Duration", text.duration(times.duration)],
        ["Time to acknowledge", text.duration(times.time_to_acknowledge)],
        ["Time to mitigate", text.duration(times.time_to_mitigate)],
        ["Time to resolve", text.duration(times.time_to_resolve)],
        ["Services affected", ", ".join(incident.services) or "none recorded"],
        ["Customer impact", incident.impact or "none recorded"],
    ]
    for peak in report.impact_peaks:
        rows.append([f"Peak {peak.label.lower()}", f"{peak.text} at {text.when(peak.at, zone)}"])
    for section in report.review:
        if section.title != SUMMARY_SECTION:
            continue
        for key, label, value in section.fields:
            if value.strip():
                rows.append([_SUMMARY_REVIEW_LABELS.get(key, label), value])
    if report.scheduled_review is not None:
        rows.append(["Post-incident review", text.when(report.scheduled_review, zone)])
    rows.append(["Partners affected", "yes" if incident.partners_affected else "no"])
    rows.append(["Security related", "yes" if incident.security_related else "no"])
    return rows


def procedure_rows(report: ReportData) -> list[list[str]]:
    """ "Procedure: NAME VERSION" at declaration, then each later change with its time."""
    if not report.procedures:
        return []
    first, *later = report.procedures
    rows = [["Procedure", first.label]]
    for version in later:
        since = "" if version.since is None else f"from {text.when(version.since, report.zone)}"
        rows.append(["Procedure changed", f"{version.label} {since}".strip()])
    return rows


def review_sections(report: ReportData) -> list[ReviewSection]:
    """The review's sections after the timeline (the summary's fields are in the summary)."""
    return [section for section in report.review if section.title != SUMMARY_SECTION]


def action_item_groups(report: ReportData) -> list[tuple[str, list[ReportItem]]]:
    """Items grouped by the template's horizons, in its order (other terms last)."""
    groups: dict[str, list[ReportItem]] = {}
    for item in report.action_items:
        groups.setdefault(item.term, []).append(item)
    ordered = sorted(
        groups.items(),
        key=lambda pair: next(
            (n for n, term in enumerate(TERMS) if pair[0].startswith(term)), len(TERMS)
        ),
    )
    return [(label, sorted(items, key=lambda i: (i.due, i.title))) for label, items in ordered]


def roster_rows(report: ReportData) -> list[list[str]]:
    rows = []
    for line in report.roster:
        if line.assigned and line.holder is not None:
            rows.append(
                [line.role.name, line.holder.holder_text(), text.when(line.holder.at, report.zone)]
            )
        elif line.required:
            rows.append([line.role.name, "unassigned (required)", ""])
        elif line.holder is not None:  # held once, released
            rows.append([line.role.name, "released", text.when(line.holder.at, report.zone)])
    return rows


def handoff_rows(report: ReportData) -> list[list[str]]:
    names = {line.role.key: line.role.name for line in report.roster}
    rows = []
    for a in report.handoffs:
        note = a.note
        if a.superseded:
            note = (note + "; " if note else "") + "concurrent handoff, not kept"
        rows.append(
            [
                text.when(a.at, report.zone),
                names.get(a.role, a.role),
                a.previous_text() if a.previous else "",
                "released" if a.is_release else a.holder_text(),
                a.by,
                note,
            ]
        )
    return rows


def deadline_rows(report: ReportData) -> list[list[str]]:
    zone = report.zone
    return [
        [
            line.name,
            text.when(line.due, zone) if line.due else "—",
            text.when(line.met_at, zone) if line.met_at else "—",
            line.outcome,
            " — ".join(part for part in (line.how, line.met_by) if part),
        ]
        for line in report.deadlines
    ]
