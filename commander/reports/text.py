"""Wording shared by every report format: times in the reader's zone, durations, entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from commander.core.clock import from_ms
from commander.core.entry_kinds import KEY_ICON, Kind, is_backfilled, label, recorded_at_ms
from commander.core.records import TimelineEntry
from commander.core.review_metrics import format_duration
from commander.reports.model import ReportData

NOT_RECORDED = "not recorded"


def when(value: datetime | None, zone: tzinfo, *, seconds: bool = False) -> str:
    """``2026-11-28 10:42`` in ``zone``; "not recorded" for None."""
    if value is None:
        return NOT_RECORDED
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def clock_time(value: datetime, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%H:%M")


def duration(value: timedelta | None) -> str:
    """``2 h 05 min``, ``3 d 4 h``, ``45 min``; "not recorded" for None (the review's form)."""
    return format_duration(value)


def zone_name(report: ReportData) -> str:
    offset = report.generated_at.astimezone(report.zone).strftime("%z")
    name = str(getattr(report.zone, "key", "") or report.zone)
    return f"{name} (UTC{offset[:3]}:{offset[3:]})" if offset else name


def timeline_times(report: ReportData) -> list[str]:
    """Each entry's time: the date on the first row and whenever the day changes."""
    out: list[str] = []
    last_day = None
    for entry in report.timeline:
        local = entry.occurred_at.astimezone(report.zone)
        day = local.date()
        out.append(local.strftime("%H:%M") if day == last_day else local.strftime("%d %b %H:%M"))
        last_day = day
    return out


def entry_event(entry: TimelineEntry) -> str:
    """The event as it reads now: the amendment if there is one."""
    return entry.amended_event if entry.amended_event is not None else entry.event


def entry_action(entry: TimelineEntry) -> str:
    return entry.amended_action if entry.amended_action is not None else entry.action


def entry_note(entry: TimelineEntry, zone: tzinfo = UTC) -> str:
    """What a reader must know about an entry, like a paper log's margin: corrected, struck,
    or written down well after the time it names (back-filled, with when it was recorded)."""
    notes = []
    if is_backfilled(entry.occurred_at_ms, entry.hlc):
        recorded = from_ms(recorded_at_ms(entry.hlc)).astimezone(zone)
        same_day = recorded.date() == entry.occurred_at.astimezone(zone).date()
        notes.append(
            f"back-filled: recorded {recorded:%H:%M}"
            if same_day
            else f"back-filled: recorded {recorded:%Y-%m-%d %H:%M}"
        )
    if entry.amended_event is not None or entry.amended_action is not None:
        notes.append(f"amended; originally: {entry.event}")
    if entry.struck:
        notes.append(f"struck: {entry.strike_reason}" if entry.strike_reason else "struck")
    return "; ".join(notes)


def entry_kind(entry: TimelineEntry) -> str:
    """``★ ◆ decision by bob``: the key mark, the kind's icon and word, who decided."""
    text = label(entry.kind)
    if entry.kind == Kind.DECISION and entry.attributed_to:
        text += f" by {entry.attributed_to}"
    return f"{KEY_ICON} {text}" if entry.key_event else text


def entry_owner(entry: TimelineEntry) -> str:
    return entry.owner or entry.author


def title(report: ReportData) -> str:
    return f"Incident report — {report.incident.ref}"
