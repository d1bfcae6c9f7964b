"""The deadline policy as data: severity x kind -> rule, from the procedure.

Every deadline time in the app comes from ``DEADLINE_POLICY``; where the procedure is silent the
``source`` of a rule says what was decided (see ``commander.core.deadline_rules`` for the reasons).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from commander.core.business_hours import BusinessHours
from commander.core.errors import ValidationError
from commander.core.policy import SEVERITY_LEVELS, Severity


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
    """

    name: str
    source: str
    offset: timedelta | None = None
    next_business_day: bool = False
    window: timedelta | None = None
    not_applicable: str | None = None
    grace: timedelta = timedelta(0)

    @property
    def applies(self) -> bool:
        return self.not_applicable is None

    def due_from(self, anchor: datetime, hours: BusinessHours) -> datetime:
        if self.next_business_day:
            return hours.next_business_start(anchor)
        if self.offset is None:
            raise ValidationError(f"The policy gives no time for {self.name!r}.")
        return anchor + self.offset


def _response(severity: Severity) -> DeadlineRule:
    # The severity table in policy.py already holds the response times; read them, don't copy.
    level = SEVERITY_LEVELS[severity]
    return DeadlineRule(
        "Acknowledge",
        f"Response Time: {level.response_time_text}",
        offset=level.response_time,
        next_business_day=level.response_time is None,
    )


_MIN = timedelta(minutes=1)
IMMEDIATE_GRACE = 5 * _MIN
"""An immediate deadline is "due now" and missed only this long after it fell due: nobody can
call the executives in the second the incident is declared."""
_HOUR = timedelta(hours=1)
_NOT_P0_P1 = "Customer communication is required for P0/P1 only"
_INTERNAL_UPDATE = DeadlineRule(
    "Internal update", "Incident Updates (every 30 minutes during active incident)", 30 * _MIN
)
_PARTNER = DeadlineRule(
    "Partner communication", "Within 30 minutes if partner integrations affected", 30 * _MIN
)
AFTER_RESOLUTION = {
    DeadlineKind.ENHANCED_MONITORING: DeadlineRule(
        "Enhanced monitoring",
        "Service Monitoring: enhanced monitoring for 24-48 hours",
        48 * _HOUR,
        window=24 * _HOUR,
    ),
    DeadlineKind.TIMELINE_IMPACT: DeadlineRule(
        "Incident timeline & impact assessment",
        "Immediate Actions (within 24 hours): incident timeline, impact assessment",
        24 * _HOUR,
    ),
    DeadlineKind.POST_INCIDENT_REVIEW: DeadlineRule(
        "Post-incident review", "Post-Incident Review (within 1 week)", timedelta(days=7)
    ),
}

DEADLINE_POLICY: Mapping[Severity, Mapping[DeadlineKind, DeadlineRule]] = {
    Severity.P0: {
        DeadlineKind.RESPONSE: _response(Severity.P0),
        DeadlineKind.ESCALATION: DeadlineRule(
            "Executive notification",
            "Escalation: immediate executive notification (due now; missed after 5 minutes)",
            0 * _MIN,
            grace=IMMEDIATE_GRACE,
        ),
        DeadlineKind.INTERNAL_UPDATE: _INTERNAL_UPDATE,
        DeadlineKind.CUSTOMER_COMMS: DeadlineRule(
            "Customer communication", "Within 1 hour for P0/P1 incidents", _HOUR
        ),
        DeadlineKind.PARTNER_COMMS: _PARTNER,
        **AFTER_RESOLUTION,
    },
    Severity.P1: {
        DeadlineKind.RESPONSE: _response(Severity.P1),
        DeadlineKind.ESCALATION: DeadlineRule(
            "Management notification", "Escalation: management notification within 1 hour", _HOUR
        ),
        DeadlineKind.INTERNAL_UPDATE: _INTERNAL_UPDATE,
        DeadlineKind.CUSTOMER_COMMS: DeadlineRule(
            "Customer communication", "Within 1 hour for P0/P1 incidents", _HOUR
        ),
        DeadlineKind.PARTNER_COMMS: _PARTNER,
        **AFTER_RESOLUTION,
    },
    Severity.P2: {
        DeadlineKind.RESPONSE: _response(Severity.P2),
        DeadlineKind.ESCALATION: DeadlineRule(
            "Team lead notification",
            "Escalation: team lead notification (no time given; due with the 2 h response)",
            SEVERITY_LEVELS[Severity.P2].response_time,
        ),
        DeadlineKind.INTERNAL_UPDATE: _INTERNAL_UPDATE,
        DeadlineKind.CUSTOMER_COMMS: DeadlineRule(
            "Customer communication", _NOT_P0_P1, not_applicable=_NOT_P0_P1
        ),
        DeadlineKind.PARTNER_COMMS: _PARTNER,
        **AFTER_RESOLUTION,
    },
    Severity.P3: {
        DeadlineKind.RESPONSE: _response(Severity.P3),
        DeadlineKind.ESCALATION: DeadlineRule(
            "Escalation",
            "Escalation: normal team processes",
            not_applicable="P3 follows normal team processes",
        ),
        DeadlineKind.INTERNAL_UPDATE: _INTERNAL_UPDATE,
        DeadlineKind.CUSTOMER_COMMS: DeadlineRule(
            "Customer communication", _NOT_P0_P1, not_applicable=_NOT_P0_P1
        ),
        DeadlineKind.PARTNER_COMMS: _PARTNER,
        **AFTER_RESOLUTION,
    },
}
"""Severity x kind -> rule: every deadline time in the app comes from this table."""
