"""The post-incident review as data: its sections, action items and the record's numbers.

The section keys are stable (ops, the CLI's JSON and the report exporters use them); titles and
labels are the procedure's words ("Incident Documentation Template", "Root Cause Analysis
Framework", "Review Agenda"). Everything here is pure: the service gathers the record's facts,
``compute_metrics`` turns them into the review's numbers, nothing is invented — a time the record
does not hold stays None and is shown as "not recorded".
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from commander.core.clock import iso
from commander.core.deadlines import Deadline, DeadlineState
from commander.core.errors import ValidationError
from commander.core.policy import Phase, Status

REVIEW_SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Incident Summary",
        (
            ("services_affected", "Services affected"),
            ("customer_impact", "Customer impact"),
            ("users_affected", "Users affected"),
            ("revenue_impact", "Revenue impact"),
        ),
    ),
    (
        "Root Cause",
        (
            ("primary_cause", "Primary cause"),
            ("contributing_factors", "Contributing factors"),
            ("detection", "Detection"),
            ("prevention", "Prevention"),
        ),
    ),
    (
        "Resolution",
        (
            ("resolution_steps", "Resolution steps"),
            ("verification", "Verification"),
            ("monitoring", "Monitoring"),
        ),
    ),
    (
        "Root Cause Analysis",
        (
            ("what_happened", "What happened"),
            ("why_it_happened", "Why it happened"),
            ("how_we_responded", "How we responded"),
            ("what_we_learned", "What we learned"),
            ("what_we_will_change", "What we'll change"),
        ),
    ),
    (
        "Review Agenda",
        (
            ("agenda_timeline_review", "Incident timeline"),
            ("agenda_response_effectiveness", "Response effectiveness"),
            ("agenda_root_cause", "Root cause analysis"),
            ("agenda_contributing_factors", "Contributing factors"),
            ("agenda_action_items", "Action items"),
        ),
    ),
)
"""(section title, ((key, label), ...)) in the procedure's order."""

REVIEW_KEYS: tuple[str, ...] = tuple(key for _, fields in REVIEW_SECTIONS for key, _ in fields)
REVIEW_LABELS: dict[str, str] = {
    key: label for _, fields in REVIEW_SECTIONS for key, label in fields
}

# The procedure's one-line guidance for each field: the UI shows it as a placeholder.
REVIEW_HINTS: dict[str, str] = {
    "services_affected": "List of impacted services",
    "customer_impact": "Quantified customer impact",
    "users_affected": "How many users were affected",
    "revenue_impact": "Revenue impact",
    "primary_cause": "Main technical cause",
    "contributing_factors": "Additional factors that contributed",
    "detection": "How the incident was discovered",
    "prevention": "Why existing controls didn't prevent the incident",
    "resolution_steps": "Technical steps taken to resolve",
    "verification": "How resolution was confirmed",
    "monitoring": "Post-incident monitoring approach",
    "what_happened": "Factual description of the incident",
    "why_it_happened": "Technical and procedural causes",
    "how_we_responded": "Response effectiveness evaluation",
    "what_we_learned": "Key insights and lessons",
    "what_we_will_change": "Specific improvement commitments",
    "agenda_timeline_review": "Chronological review of events",
    "agenda_response_effectiveness": "Evaluation of response procedures",
    "agenda_root_cause": "Technical root cause identification",
    "agenda_contributing_factors": "Organizational and process factors",
    "agenda_action_items": "Specific improvement actions",
}

REVIEW_TEXT_MAX = 20_000
"""A review field is long-form, but a pasted log belongs in an attachment, not the record."""


def require_key(key: str) -> str:
    if key not in REVIEW_LABELS:
        raise ValidationError(f"Unknown review field {key!r}: use one of {', '.join(REVIEW_KEYS)}.")
    return key


REVIEW_SCHEDULE = "schedule"
"""The review entity's register for the meeting: ``{"start": iso | None, "minutes": int}``."""
DEFAULT_REVIEW_MINUTES = 60

# --- action items ----------------------------------------------------------------------------


class ActionField:
    """Registers of an action item (entity ``action_item``); ``create`` carries them all."""

    TITLE = "title"
    OWNER = "owner"
    TERM = "term"
    DUE = "due"
    STATUS = "status"
    TRACKER_URL = "tracker_url"


ACTION_ITEM_REGISTERS = (
    ActionField.TITLE,
    ActionField.OWNER,
    ActionField.TERM,
    ActionField.DUE,
    ActionField.STATUS,
    ActionField.TRACKER_URL,
)


class Term:
    """The procedure's action-item horizons (Incident Documentation Template, Action Items)."""

    SHORT = "short"  # 1-2 weeks: immediate fixes and improvements
    MEDIUM = "medium"  # 1-3 months: significant enhancements
    LONG = "long"  # 3+ months: strategic improvements
    ALL = (SHORT, MEDIUM, LONG)


class ItemStatus:
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"
    ALL = (OPEN, IN_PROGRESS, DONE, CANCELLED)
    FINISHED = (DONE, CANCELLED)


TERM_LABELS = {Term.SHORT: "Short-term", Term.MEDIUM: "Medium-term", Term.LONG: "Long-term"}
TERM_SPANS = {Term.SHORT: "1-2 weeks", Term.MEDIUM: "1-3 months", Term.LONG: "3+ months"}
STATUS_LABELS = {
    ItemStatus.OPEN: "Open",
    ItemStatus.IN_PROGRESS: "In progress",
    ItemStatus.DONE: "Done",
    ItemStatus.CANCELLED: "Cancelled",
}


def parse_term(text: str) -> str:
    key = text.strip().lower().removesuffix("-term").removesuffix("_term").removesuffix(" term")
    if key not in Term.ALL:
        raise ValidationError(f"Unknown term {text!r}: use short, medium or long.")
    return key


def parse_item_status(text: str) -> str:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key not in ItemStatus.ALL:
        raise ValidationError(f"Unknown status {text!r}: use {', '.join(ItemStatus.ALL)}.")
    return key


def default_due(term: str, today: date) -> date:
    """The due date a new item gets from its term: the *end* of the procedure's span.

    Short-term is "1-2 weeks": due in 2 weeks. Medium-term is "1-3 months": due in 3 months.
    Long-term is "3+ months", open-ended; a due date must still be concrete for "overdue" to
    mean anything, so it is 6 months (two quarters: strategic work lands in a later planning
    cycle). The owner can always move it.
    """
    term = parse_term(term)
    if term == Term.SHORT:
        return today + timedelta(weeks=2)
    return add_months(today, 3 if term == Term.MEDIUM else 6)


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ActionItem:
    """One improvement commitment from a review, owned by someone, due by a date."""

    id: str
    incident_id: str
    title: str
    owner: str
    term: str
    due: date
    status: str
    tracker_url: str
    entry_id: str | None
    created_at: datetime

    @property
    def finished(self) -> bool:
        return self.status in ItemStatus.FINISHED

    def is_overdue(self, today: date) -> bool:
        """Past its due date and neither done nor cancelled."""
        return not self.finished and self.due < today

    def to_json(self, today: date | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "incident_id": self.incident_id,
            "title": self.title,
            "owner": self.owner,
            "term": self.term,
            "due": self.due.isoformat(),
            "status": self.status,
            "tracker_url": self.tracker_url,
            "entry_id": self.entry_id,
            "created_at": iso(self.created_at),
        }
        if today is not None:
            body["overdue"] = self.is_overdue(today)
        return body


def overdue_first(items: Sequence[ActionItem], today: date) -> list[ActionItem]:
    """Overdue first (most overdue at the top), then open work by due date, finished last."""

    def rank(item: ActionItem) -> tuple[int, date, str]:
        group = 0 if item.is_overdue(today) else 2 if item.finished else 1
        return (group, item.due, item.title.lower())

    return sorted(items, key=rank)


# --- the record's numbers --------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewMetrics:
    """Times and durations for the Incident Summary, all taken from the record.

    ``started_at`` is the record's start: the declaration, or the first timeline entry when the
    scribe back-filled earlier events (the alert that fired before anyone declared).
    ``acknowledged_at`` is when the response deadline was met by someone (None if nobody
    recorded it). ``mitigated_at`` is the
    first time a fix was in place: the status first reached monitoring (or resolved), or the
    phase first reached "Resolution & recovery". ``resolved_at`` is the start of the current
    resolved stretch: a re-opened incident is resolved only when it is resolved again.
    ``duration`` is start to full resolution. ``deadlines_met``: deadlines met on time;
    ``deadlines_missed``: deadlines met late, overdue now, or logged as missed (internal updates
    can be missed more than once: "Internal update (2x)").
    """

    started_at: datetime
    acknowledged_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    time_to_acknowledge: timedelta | None
    time_to_mitigate: timedelta | None
    time_to_resolve: timedelta | None
    duration: timedelta | None
    deadlines_met: tuple[str, ...] = ()
    deadlines_missed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return None if value is None else iso(value)

        def seconds(value: timedelta | None) -> float | None:
            return None if value is None else value.total_seconds()

        return {
            "started_at": when(self.started_at),
            "acknowledged_at": when(self.acknowledged_at),
            "mitigated_at": when(self.mitigated_at),
            "resolved_at": when(self.resolved_at),
            "time_to_acknowledge_seconds": seconds(self.time_to_acknowledge),
            "time_to_mitigate_seconds": seconds(self.time_to_mitigate),
            "time_to_resolve_seconds": seconds(self.time_to_resolve),
            "duration_seconds": seconds(self.duration),
            "deadlines_met": list(self.deadlines_met),
            "deadlines_missed": list(self.deadlines_missed),
        }


_MITIGATED_STATUSES = (Status.MONITORING, Status.RESOLVED, Status.CLOSED)
_MITIGATED_PHASES = (Phase.RESOLUTION, Phase.POST_INCIDENT)


def compute_metrics(
    *,
    declared_at: datetime,
    status_changes: Sequence[tuple[datetime, Status]] = (),
    phase_changes: Sequence[tuple[datetime, Phase]] = (),
    acknowledged_at: datetime | None = None,
    deadlines: Sequence[Deadline] = (),
    missed: Sequence[str] = (),
    first_entry_at: datetime | None = None,
) -> ReviewMetrics:
    """The review's numbers from the record.

    Args:
        declared_at: when the incident was declared.
        status_changes: ``(at, status)`` after declaration (the status starts investigating).
        phase_changes: ``(at, phase)`` after declaration.
        acknowledged_at: when the response deadline was met, if it was.
        deadlines: the incident's deadlines as of now (``compute_deadlines``).
        missed: names of deadlines logged as missed on the timeline, one per miss.
        first_entry_at: the earliest timeline entry that is not struck, if any.
    """
    started_at = declared_at if first_entry_at is None else min(declared_at, first_entry_at)
    statuses = sorted(((max(at, declared_at), s) for at, s in status_changes), key=lambda c: c[0])
    phases = sorted(((max(at, declared_at), p) for at, p in phase_changes), key=lambda c: c[0])
    resolved_at: datetime | None = None
    for at, status in statuses:
        if status.is_active:
            resolved_at = None
        elif resolved_at is None:
            resolved_at = at
    fixed = [at for at, s in statuses if s in _MITIGATED_STATUSES]
    fixed += [at for at, p in phases if p in _MITIGATED_PHASES]
    mitigated_at = min(fixed) if fixed else None

    def since_start(at: datetime | None) -> timedelta | None:
        return None if at is None else max(at - started_at, timedelta(0))

    met_on_time: list[str] = []
    late: list[str] = list(missed)
    for deadline in deadlines:
        if deadline.state is DeadlineState.MET:
            on_time = deadline.due is None or (
                deadline.met_at is not None and deadline.met_at <= deadline.due
            )
            if on_time:
                met_on_time.append(deadline.name)
            elif deadline.name not in late:
                late.append(deadline.name)
        elif deadline.state is DeadlineState.OVERDUE and deadline.name not in late:
            late.append(deadline.name)
    return ReviewMetrics(
        started_at=started_at,
        acknowledged_at=acknowledged_at,
        mitigated_at=mitigated_at,
        resolved_at=resolved_at,
        time_to_acknowledge=since_start(acknowledged_at),
        time_to_mitigate=since_start(mitigated_at),
        time_to_resolve=since_start(resolved_at),
        duration=since_start(resolved_at),
        deadlines_met=tuple(met_on_time),
        deadlines_missed=_counted(late),
    )


def _counted(names: Sequence[str]) -> tuple[str, ...]:
    """Names in first-seen order, a repeated one as "Name (2x)"."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return tuple(name if n == 1 else f"{name} ({n}x)" for name, n in counts.items())


def format_duration(value: timedelta | None) -> str:
    """``"2 h 05 min"``, ``"3 d 4 h"``, ``"45 min"``; "not recorded" for None."""
    if value is None:
        return "not recorded"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


__all__ = [
    "ACTION_ITEM_REGISTERS",
    "DEFAULT_REVIEW_MINUTES",
    "REVIEW_HINTS",
    "REVIEW_KEYS",
    "REVIEW_LABELS",
    "REVIEW_SCHEDULE",
    "REVIEW_SECTIONS",
    "STATUS_LABELS",
    "TERM_LABELS",
    "TERM_SPANS",
    "ActionField",
    "ActionItem",
    "ItemStatus",
    "ReviewMetrics",
    "Term",
    "add_months",
    "compute_metrics",
    "default_due",
    "format_duration",
    "overdue_first",
    "parse_item_status",
    "parse_term",
    "require_key",
]
