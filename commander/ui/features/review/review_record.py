"""The pre-filled, read-only part of the Review tab as HTML: numbers, team and timeline.

Nothing here is typed by anyone: it is the record (``ReviewMetrics``, the roster's history,
the timeline, shown by the Timeline tab's own model), rendered so the review meeting can walk
through it. Times are in the user's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from html import escape

from commander.core.records import Incident
from commander.core.review_metrics import ReviewMetrics, format_duration
from commander.core.roles import Assignment
from commander.ui.common.severity_badge import severity_text

TIMELINE_LIMIT = 2000  # a whole normal timeline; the newest part of a huge one
MUTED = "#4a5454"
MISSED = "#b00020"


def _when(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return f"<span style='color:{MUTED}'>not recorded</span>"
    return escape(value.astimezone(zone).strftime("%Y-%m-%d %H:%M"))


def summary_html(incident: Incident, metrics: ReviewMetrics, zone: tzinfo) -> str:
    """Incident Summary numbers: id, severity, start/ack/mitigate/resolve, deadlines."""

    def row(label: str, value: str) -> str:
        return (
            f"<tr><td style='color:{MUTED}; padding-right:12px'>{label}</td><td>{value}</td></tr>"
        )

    def step(at: datetime | None, took: object) -> str:
        if at is None:
            return _when(None, zone)
        return f"{_when(at, zone)} &nbsp;(after {escape(format_duration(took))})"  # type: ignore[arg-type]

    met = ", ".join(escape(n) for n in metrics.deadlines_met) or "none"
    missed = ", ".join(escape(n) for n in metrics.deadlines_missed)
    missed_html = f"<span style='color:{MISSED}'>{missed}</span>" if missed else "none"
    rows = [
        row("Incident ID", f"<b>{escape(incident.ref)}</b>"),
        row("Severity", escape(severity_text(incident.severity))),
        row("Started", _when(metrics.started_at, zone)),
        row("Acknowledged", step(metrics.acknowledged_at, metrics.time_to_acknowledge)),
        row("Mitigated", step(metrics.mitigated_at, metrics.time_to_mitigate)),
        row("Resolved", step(metrics.resolved_at, metrics.time_to_resolve)),
        row("Duration", f"<b>{escape(format_duration(metrics.duration))}</b>"),
        row("Services", escape(", ".join(incident.services)) or "none recorded"),
        row("Deadlines met", met),
        row("Deadlines missed", missed_html),
    ]
    return "<table cellspacing='0' cellpadding='2'>" + "".join(rows) + "</table>"


def team_html(history: Sequence[Assignment], role_names: dict[str, str], zone: tzinfo) -> str:
    """Role holders and handoffs, per role, in order: "Alice (10:02) → Bob (10:44)"."""
    chains: dict[str, list[str]] = {}
    for a in history:
        if a.superseded:
            continue
        at = escape(a.at.astimezone(zone).strftime("%H:%M"))
        who = "released" if a.is_release else escape(a.holder_text())
        chains.setdefault(a.role, []).append(f"{who} ({at})")
    if not chains:
        return f"<span style='color:{MUTED}'>No roles were assigned in Commander.</span>"
    lines = [
        f"<b>{escape(role_names.get(role, role.replace('_', ' ').title()))}:</b> "
        + " → ".join(steps)
        for role, steps in chains.items()
    ]
    return "<br>".join(lines)


def timeline_note(shown: int, total: int) -> str:
    """Say so when the review shows only the newest part of a long timeline."""
    if total <= shown:
        return ""
    return f"The newest {shown:,} of {total:,} entries; the Timeline tab has them all."
