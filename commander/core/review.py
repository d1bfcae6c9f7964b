"""The post-incident review as data: its sections, action items and the record's numbers.

The section keys are stable (ops, the CLI's JSON and the report exporters use them); titles and
labels are the procedure's words ("Incident Documentation Template", "Root Cause Analysis
Framework", "Review Agenda"). Everything here is pure; the record's numbers (durations, deadlines
met and missed) are in ``review_metrics``.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from commander.core import limits, records_json
from commander.core.errors import ValidationError

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

REVIEW_TEXT_MAX = limits.REVIEW_TEXT_MAX
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

    # Hand-written: adds the overdue flag for a given day.
    def to_json(self, today: date | None = None) -> dict[str, Any]:
        # The fields, and beside them whether the item is overdue on a given day.
        body = records_json.to_json(self)
        if today is not None:
            body["overdue"] = self.is_overdue(today)
        return body


def overdue_first(items: Sequence[ActionItem], today: date) -> list[ActionItem]:
    """Overdue first (most overdue at the top), then open work by due date, finished last."""

    def rank(item: ActionItem) -> tuple[int, date, str]:
        group = 0 if item.is_overdue(today) else 2 if item.finished else 1
        return (group, item.due, item.title.lower())

    return sorted(items, key=rank)


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
    "Term",
    "add_months",
    "default_due",
    "overdue_first",
    "parse_item_status",
    "parse_term",
    "require_key",
]
