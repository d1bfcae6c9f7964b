"""The procedure as data: what a procedure file describes, once checked (see ``procedure_file``).

Plain frozen values, so the seed and a team's own file are the same kind of thing: severities,
incident types, roles, deadline rules, checklists, templates and custom fields. Conditions
(``When``) are evaluated against an ``Situation`` — what the incident is now — so the rules that
hold can be worked out again whenever the incident changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from commander.core.errors import ValidationError

FORMAT = 1
"""The procedure file format this code reads (``format = 1`` in the file)."""

FIELD_TYPES = ("text", "number", "choice", "multi_choice", "person", "datetime", "url")
REQUIRED_AT = ("declaration", "resolution", "never")
ANCHORS = ("declared", "severity_reached", "active", "partners_affected", "resolved")
"""Anchor events; besides these, ``field:<key>`` (a datetime field) and ``met:<deadline>``."""
MET_BY = ("marked", "acknowledged", "resolved", "update_sent")
STATUSES = ("investigating", "identified", "monitoring", "resolved", "closed")
BUILTIN_FLAGS = ("security_related", "partners_affected")
"""Incident flags every procedure may name in conditions, besides its own custom fields."""

_DURATION = re.compile(
    r"^\s*(?:(\d+)\s*mo)?\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?"
    r"\s*(?:(\d+)\s*m)?\s*$"
)


@dataclass(frozen=True)
class Duration:
    """A span as the file writes it: calendar months plus an exact time (``1mo``, ``1h30m``)."""

    months: int = 0
    exact: timedelta = timedelta(0)

    def after(self, anchor: datetime) -> datetime:
        """``anchor`` plus this span; a month is a calendar month, clamped to the month's end."""
        moved = anchor
        if self.months:
            total = anchor.month - 1 + self.months
            year, month = anchor.year + total // 12, total % 12 + 1
            day = min(anchor.day, _days_in(year, month))
            moved = anchor.replace(year=year, month=month, day=day)
        return moved + self.exact


def _days_in(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def parse_duration(text: str) -> Duration:
    """``15m``, ``2h``, ``1h30m``, ``7d``, ``2w``, ``1mo``; ``0m`` is "immediately"."""
    match = _DURATION.match(str(text))
    if not match or not any(match.groups()):
        raise ValidationError(
            f"{text!r} is not a duration: write it like 15m, 2h, 1h30m, 7d, 2w or 1mo."
        )
    months, weeks, days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    exact = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    return Duration(months, exact)


@dataclass(frozen=True)
class Situation:
    """What conditions look at: the incident as it is now."""

    severity: str
    type: str = ""
    status: str = "investigating"
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class When:
    """A condition: every part given must hold (an empty condition always holds).

    ``fields`` maps a field to what it must be: ``true`` (filled in), ``false`` (empty), a value,
    or a list of values (any of them; for a multi-choice field, any chosen).
    """

    severity: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    status: tuple[str, ...] = ()  # statuses, or "active"
    fields: Mapping[str, Any] = field(default_factory=dict)

    def holds(self, now: Situation) -> bool:
        if self.severity and now.severity not in self.severity:
            return False
        if self.type and now.type not in self.type:
            return False
        if self.status and not _status_matches(self.status, now.status):
            return False
        return all(_field_matches(want, now.fields.get(k)) for k, want in self.fields.items())

    def why(self) -> str:
        """The condition in words, for the timeline ("severity P0/P1, type security")."""
        parts = []
        if self.severity:
            parts.append("severity " + "/".join(self.severity))
        if self.type:
            parts.append("type " + "/".join(self.type))
        if self.status:
            parts.append("status " + "/".join(self.status))
        parts += [f"{k} {_want_text(v)}" for k, v in self.fields.items()]
        return ", ".join(parts) or "always"

    # Hand-written: writes only the conditions that are set.
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("severity", "type", "status"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        if self.fields:
            out["fields"] = dict(self.fields)
        return out


def _status_matches(wanted: tuple[str, ...], status: str) -> bool:
    active = status not in ("resolved", "closed")
    return status in wanted or ("active" in wanted and active)


def _field_matches(want: Any, value: Any) -> bool:
    filled = value is not False and value not in (None, "", [], ())
    if want is True:
        return filled
    if want is False:
        return not filled
    options = want if isinstance(want, list) else [want]
    values = value if isinstance(value, list | tuple) else [value]
    return any(v in options for v in values)


def _want_text(want: Any) -> str:
    if want is True:
        return "filled in"
    if want is False:
        return "empty"
    if isinstance(want, list):
        return "is " + " or ".join(str(w) for w in want)
    return f"is {want}"


@dataclass(frozen=True)
class SeveritySpec:
    key: str
    name: str
    headline: str = ""
    definition: str = ""
    examples: tuple[str, ...] = ()
    response_time_text: str = ""
    response_time: Duration | None = None  # None: next business day
    escalation: str = ""
    colour: str = ""


@dataclass(frozen=True)
class TypeSpec:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class RoleSpec:
    key: str
    name: str
    kind: str  # core | extended
    description: str = ""
    exclusive: bool = False
    aliases: tuple[str, ...] = ()
    required_when: tuple[When, ...] = ()  # any of them holding makes the role required


@dataclass(frozen=True)
class DeadlineSpec:
    """One deadline rule; several rules may share a key (one per severity, say)."""

    key: str
    name: str
    anchor: str
    source: str = ""
    offset: Duration | None = None
    cadence: Duration | None = None
    next_business_day: bool = False
    window: Duration | None = None
    grace: Duration | None = None
    audience: str = ""
    tightens: bool = False
    when: When = field(default_factory=When)
    met_by: tuple[str, ...] = ("marked",)
    not_applicable: str | None = None
    cite: str = ""


@dataclass(frozen=True)
class StepSpec:
    key: str
    text: str
    detail: str = ""
    command: str = ""
    note: str = ""
    when: When = field(default_factory=When)


@dataclass(frozen=True)
class ChecklistSpec:
    key: str
    phase: str
    title: str
    steps: tuple[StepSpec, ...]
    when: When = field(default_factory=When)


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    name: str
    audience: str
    subject: str
    body: str


@dataclass(frozen=True)
class FieldSpec:
    key: str
    name: str
    type: str
    required: str = "never"  # declaration | resolution | never
    choices: tuple[str, ...] = ()
    help: str = ""
    when: When = field(default_factory=When)  # the field is asked for when this holds


@dataclass(frozen=True)
class Procedure:
    """A whole procedure, checked: everything the engine needs, nothing half-loaded."""

    name: str
    version: str
    description: str
    severities: tuple[SeveritySpec, ...]
    types: tuple[TypeSpec, ...]
    roles: tuple[RoleSpec, ...]
    deadlines: tuple[DeadlineSpec, ...]
    checklists: tuple[ChecklistSpec, ...]
    templates: tuple[TemplateSpec, ...]
    fields: tuple[FieldSpec, ...]
    source: str = "built-in"
    text: str = ""  # the file as loaded, so it can be exported and synced verbatim

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    def severity(self, key: str) -> SeveritySpec | None:
        return next((s for s in self.severities if s.key == key), None)

    def deadline_keys(self) -> list[str]:
        """Deadline keys in the order the file first names them (the panel's order)."""
        return list(dict.fromkeys(rule.key for rule in self.deadlines))

    def rule_for(self, key: str, now: Situation) -> DeadlineSpec | None:
        """The first rule of ``key`` whose condition holds now, or None."""
        return next((r for r in self.deadlines if r.key == key and r.when.holds(now)), None)

    def required_roles(self, now: Situation) -> list[str]:
        return [r.key for r in self.roles if any(w.holds(now) for w in r.required_when)]

    def fields_required(self, at: str, now: Situation) -> list[FieldSpec]:
        """The custom fields that must be filled in ``at`` declaration or resolution now."""
        return [f for f in self.fields if f.required == at and f.when.holds(now)]
