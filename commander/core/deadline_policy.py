"""The deadline policy as data: severity x kind -> rule, read from the procedure file.

Every deadline time in the app comes from ``DEADLINE_POLICY``, built from the built-in procedure
(``core/procedures/seed.toml``); where the procedure is silent the ``source`` of a rule says what
was decided (see ``commander.core.deadline_rules`` for the reasons).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from commander.core.business_hours import BusinessHours
from commander.core.errors import ValidationError
from commander.core.policy import Severity
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import DeadlineSpec, Duration, Procedure, Situation


class DeadlineKind(StrEnum):
    """Stable keys, used in ops, settings and the CLI's JSON. Declaration order is display order."""

    RESPONSE = "response"
    ESCALATION = "escalation"
    INTERNAL_UPDATE = "internal_update"
    CUSTOMER_COMMS = "customer_comms"
    PARTNER_COMMS = "partner_comms"
    ENHANCED_MONITORING = "enhanced_monitoring"
    TIMELINE_IMPACT = "timeline_impact"
    POST_INCIDENT_REVIEW = "post_incident_review"


class DeadlineState(StrEnum):
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class DeadlineRule:
    """One cell of the policy table: how one severity treats one kind of deadline.

    Attributes:
        name: what is due, as the UI says it ("Executive notification").
        source: the procedure's wording, or the reason for a decision it leaves open.
        offset: ``due = anchor + offset``; None with ``next_business_day`` or when not applicable.
        next_business_day: ``due`` is the next business start after the anchor.
        window: for a span ("monitoring for 24-48 h"), when the span may end, after the anchor.
        not_applicable: why this severity has no such deadline; None when it applies.
        grace: how long after ``due`` the deadline still counts as met in time. An
            *immediate* deadline is due the moment it starts; it is "due now", and missed only
            once the grace has passed.
        anchor, tightens, met_by, audience, cite: as the procedure file writes them (see
            docs/procedure-file.md); ``months`` adds calendar months to ``offset``.
    """

    name: str
    source: str
    offset: timedelta | None = None
    next_business_day: bool = False
    window: timedelta | None = None
    not_applicable: str | None = None
    grace: timedelta = timedelta(0)
    anchor: str = "declared"
    tightens: bool = False
    met_by: tuple[str, ...] = ("marked",)
    audience: str = ""
    cite: str = ""
    months: int = 0

    @property
    def applies(self) -> bool:
        return self.not_applicable is None

    def due_from(self, anchor: datetime, hours: BusinessHours) -> datetime:
        if self.next_business_day:
            return hours.next_business_start(anchor)
        if self.offset is None:
            raise ValidationError(f"The policy gives no time for {self.name!r}.")
        return Duration(self.months, self.offset).after(anchor)


_MIN = timedelta(minutes=1)
IMMEDIATE_GRACE = 5 * _MIN
"""An immediate deadline is "due now" and missed only this long after it fell due: nobody can
call the executives in the second the incident is declared (the seed file's ``grace = "5m"``)."""


def rule_from_spec(spec: DeadlineSpec) -> DeadlineRule:
    """A procedure file's deadline rule as the engine reads it."""
    timed = spec.offset or spec.cadence
    return DeadlineRule(
        spec.name,
        spec.source,
        offset=None if timed is None or spec.not_applicable else timed.exact,
        next_business_day=spec.next_business_day,
        window=None if spec.window is None else spec.window.exact,
        not_applicable=spec.not_applicable,
        grace=timedelta(0) if spec.grace is None else spec.grace.exact,
        anchor=spec.anchor,
        tightens=spec.tightens,
        met_by=spec.met_by,
        audience=spec.audience,
        cite=spec.cite,
        months=0 if timed is None or spec.not_applicable else timed.months,
    )


def policy_of(procedure: Procedure) -> dict[Severity, dict[DeadlineKind, DeadlineRule]]:
    """Severity x kind -> the first rule of the file whose condition holds at that severity."""
    table: dict[Severity, dict[DeadlineKind, DeadlineRule]] = {}
    for severity in Severity:
        row = {}
        for kind in DeadlineKind:
            spec = procedure.rule_for(kind.value, Situation(severity.value))
            if spec is None:
                raise ValidationError(f"The procedure has no {kind.value} rule for {severity}.")
            row[kind] = rule_from_spec(spec)
        table[severity] = row
    return table


DEADLINE_POLICY: Mapping[Severity, Mapping[DeadlineKind, DeadlineRule]] = policy_of(
    seed_procedure()
)
"""Severity x kind -> rule, from the built-in procedure file: every deadline time comes from it."""

AFTER_RESOLUTION = {
    kind: rule for kind, rule in DEADLINE_POLICY[Severity.P0].items() if rule.anchor == "resolved"
}
"""The deadlines anchored at the resolution."""
