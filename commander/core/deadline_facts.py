"""The stored times an incident's deadlines are computed from (see ``commander.core.deadlines``).

Plain data: the services gather it from the op log, the rules in
``commander.core.deadline_rules`` read it. Every time must carry a zone, so deadlines agree across
laptops in different zones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commander.core.errors import ValidationError
from commander.core.policy import Severity, Status

TYPE_FIELD = "type"
"""The key of the incident's type among its field changes (a procedure field cannot take it)."""


@dataclass(frozen=True)
class Met:
    """A deadline met: when, by whom, how ("Executive notified by phone")."""

    at: datetime
    by: str | None = None
    how: str = ""


@dataclass(frozen=True)
class Snooze:
    """Alerts for a deadline silenced until ``until``; the deadline itself does not move."""

    until: datetime
    reason: str = ""
    by: str | None = None


@dataclass(frozen=True)
class SendFailure:
    """A message meant to meet a deadline that could not be delivered: when, and why."""

    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class IncidentFacts:
    """What the deadlines depend on, as stored times. Lists need not be sorted.

    Attributes:
        declared_at: when the incident was detected/declared.
        severity_changes: ``(at, severity)``; the first is the severity at declaration (its time
            is taken as ``declared_at``). Required, non-empty.
        status_changes: ``(at, status)``; before the first, the status is investigating.
        partners_affected: partner integrations affected from declaration.
        partner_changes: ``(at, affected)`` later changes of that flag.
        met: deadline key -> how it was met.
        internal_updates: times internal updates were sent.
        acknowledged_at: when the incident was acknowledged (meets ``response``).
        snoozed: deadline key -> snooze.
        send_failures: deadline key -> the last delivery for it that failed (it meets
            nothing; the deadline shows it until a later send or "met" moves on).
        field_changes: ``(at, key, value)``: the incident's type (key ``TYPE_FIELD``) and
            custom fields as they were set, which the procedure's conditions look at.
    """

    declared_at: datetime
    severity_changes: Sequence[tuple[datetime, Severity]]
    status_changes: Sequence[tuple[datetime, Status]] = ()
    partners_affected: bool = False
    partner_changes: Sequence[tuple[datetime, bool]] = ()
    met: Mapping[str, Met] = field(default_factory=dict)
    internal_updates: Sequence[datetime] = ()
    acknowledged_at: datetime | None = None
    snoozed: Mapping[str, Snooze] = field(default_factory=dict)
    send_failures: Mapping[str, SendFailure] = field(default_factory=dict)
    field_changes: Sequence[tuple[datetime, str, Any]] = ()

    def __post_init__(self) -> None:
        if not self.severity_changes:
            raise ValidationError("An incident needs a severity at declaration.")
        times = [self.declared_at, *(at for at, _ in self.severity_changes)]
        times += [at for at, _ in self.status_changes] + [at for at, _ in self.partner_changes]
        times += [*self.internal_updates, *(m.at for m in self.met.values())]
        times += [s.until for s in self.snoozed.values()]
        times += [f.at for f in self.send_failures.values()]
        times += [at for at, _, _ in self.field_changes]
        if self.acknowledged_at is not None:
            times.append(self.acknowledged_at)
        for at in times:
            require_aware(at)


def require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValidationError(f"Expected a time with a zone, got {when.isoformat()}.")
