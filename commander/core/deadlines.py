"""The procedure's deadlines, computed from an incident's facts and the current time.

A deadline is never counted down: ``due`` is derived from stored anchor times (declaration,
severity changes, last internal update, resolution) and a policy offset, and the countdown is
``due - now``. So timers agree across restarts, laptops and the war-room screen, and a laptop that
wakes from sleep shows the right value at once. Everything here is a pure function over plain
data; the services gather the facts (``commander.core.deadline_facts``), the UI shows the result.
The rules where the procedure is silent are decided in ``commander.core.deadline_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from commander.core.business_hours import BusinessHours
from commander.core.clock import iso
from commander.core.deadline_facts import IncidentFacts, SendFailure, require_aware
from commander.core.deadline_policy import DeadlineKind, DeadlineState
from commander.core.deadline_rules import Slot, View, internal_update, slot_for
from commander.core.errors import ValidationError
from commander.core.policy import Severity


@dataclass(frozen=True)
class Deadline:
    """One deadline as of ``now``: what the timers panel, war-room screen and CLI show.

    ``anchor``/``due``/``remaining`` are None when the deadline does not apply. ``remaining`` is
    ``due - now``, negative when overdue. ``applies`` is False for a requirement the current
    situation does not have; such a deadline can still be ``met`` (met before a downgrade).
    ``missed_at`` is ``due`` plus the rule's grace: an immediate deadline is "due now" (state
    due soon) until then, and met in time when met by then.
    """

    key: DeadlineKind
    name: str
    anchor: datetime | None
    due: datetime | None
    state: DeadlineState
    met_at: datetime | None
    met_by: str | None
    how: str | None
    remaining: timedelta | None
    applies: bool
    reason_not_applicable: str | None
    severity: Severity
    missed_at: datetime | None = None
    window_start: datetime | None = None
    snoozed_until: datetime | None = None
    send_failure: SendFailure | None = None  # the last send for it failed; still open

    @property
    def in_grace(self) -> bool:
        """Due, not met, not missed yet: "due now"."""
        return (
            self.state is DeadlineState.DUE_SOON
            and self.remaining is not None
            and self.remaining <= timedelta(0)
        )

    def met_in_time(self) -> bool:
        """Met, and by ``missed_at`` (a deadline without a due is in time when met)."""
        if self.met_at is None:
            return False
        limit = self.missed_at or self.due
        return limit is None or self.met_at <= limit

    def to_json(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return None if value is None else iso(value)

        return {
            "key": self.key.value,
            "name": self.name,
            "state": self.state.value,
            "applies": self.applies,
            "anchor": when(self.anchor),
            "due": when(self.due),
            "remaining_seconds": None if self.remaining is None else self.remaining.total_seconds(),
            "met_at": when(self.met_at),
            "met_by": self.met_by,
            "how": self.how,
            "reason_not_applicable": self.reason_not_applicable,
            "severity": self.severity.value,
            "missed_at": when(self.missed_at),
            "window_start": when(self.window_start),
            "snoozed_until": when(self.snoozed_until),
            "send_failed": None
            if self.send_failure is None
            else {"at": when(self.send_failure.at), "reason": self.send_failure.reason},
        }


def compute_deadlines(
    facts: IncidentFacts,
    now: datetime,
    *,
    hours: BusinessHours,
    due_soon: timedelta = timedelta(minutes=5),
) -> list[Deadline]:
    """Every deadline of the incident as of ``now``, one per ``DeadlineKind``, in that order.

    Args:
        facts: the incident's stored times.
        now: the current time (from the ``Clock``).
        hours: the business calendar for next-business-day deadlines.
        due_soon: how close to ``due`` a deadline turns "due soon".
    """
    require_aware(now)
    if due_soon < timedelta(0):
        raise ValidationError("The due-soon threshold cannot be negative.")
    view = View(facts, now)
    return [_finish(kind, slot_for(kind, view, hours), view, due_soon) for kind in DeadlineKind]


def next_internal_update(
    facts: IncidentFacts, now: datetime, *, hours: BusinessHours | None = None
) -> datetime | None:
    """When the next internal update is due (the templates' "Next Update"); None if inactive.

    ``hours`` matters only if the policy ever states updates in business time.
    """
    require_aware(now)
    return internal_update(View(facts, now), hours or BusinessHours()).due


def format_countdown(remaining: timedelta) -> str:
    """A countdown for a timer label: ``"mm:ss"``, ``"h:mm:ss"`` from an hour, ``"Nd hh:mm:ss"``
    from a day, prefixed ``"+"`` once overdue (counting up).

    Time left is rounded up, so the label reads 00:00 exactly when the deadline falls due and
    never while time is left; time overdue is rounded down, so "+00:01" means a full second late.
    """
    micros = remaining // timedelta(microseconds=1)
    sign = "+" if micros < 0 else ""
    seconds = -micros // 1_000_000 if micros < 0 else -(-micros // 1_000_000)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        return f"{sign}{days}d {hours:02d}:{minutes:02d}:{seconds:02d}"
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes:02d}:{seconds:02d}"


def countdown_text(deadline: Deadline) -> str:
    """What a timer shows: the countdown; for a deadline that is "due now" (``in_grace``), the
    time left until it is missed; "" when it has no due."""
    if deadline.remaining is None:
        return ""
    if deadline.in_grace and deadline.missed_at is not None and deadline.due is not None:
        return format_countdown(deadline.remaining + (deadline.missed_at - deadline.due))
    return format_countdown(deadline.remaining)


DUE_NOW = "Due now"
"""The state's word for a deadline in its grace (``Deadline.in_grace``), everywhere."""


def resolved_since(facts: IncidentFacts, now: datetime) -> datetime | None:
    """Start of the current resolved stretch (None while active): where "elapsed" stops."""
    return View(facts, now).resolved_since


def _finish(kind: DeadlineKind, slot: Slot, view: View, due_soon: timedelta) -> Deadline:
    now, met = view.now, slot.met
    applies = slot.reason is None
    remaining = None if slot.due is None else slot.due - now
    missed_at = None if slot.due is None else slot.due + slot.rule.grace
    if met is not None:
        state = DeadlineState.MET
    elif not applies or slot.due is None or remaining is None or missed_at is None:
        state = DeadlineState.NOT_APPLICABLE
    elif now > missed_at:
        state = DeadlineState.OVERDUE
    elif remaining <= due_soon:
        state = DeadlineState.DUE_SOON
    else:
        state = DeadlineState.UPCOMING
    snooze = view.facts.snoozed.get(kind)
    live = state in (DeadlineState.UPCOMING, DeadlineState.DUE_SOON, DeadlineState.OVERDUE)
    return Deadline(
        key=kind,
        name=slot.rule.name,
        anchor=slot.anchor,
        due=slot.due,
        state=state,
        met_at=None if met is None else met.at,
        met_by=None if met is None else met.by,
        how=None if met is None else met.how,
        remaining=remaining,
        applies=applies,
        reason_not_applicable=slot.reason,
        severity=slot.severity,
        missed_at=missed_at,
        window_start=slot.window_start,
        snoozed_until=snooze.until if snooze and live and snooze.until > now else None,
        send_failure=_open_failure(view.facts.send_failures.get(kind), slot.anchor, live),
    )


def _open_failure(
    failure: SendFailure | None, anchor: datetime | None, live: bool
) -> SendFailure | None:
    """A failed send matters while the deadline is open and nothing was sent since."""
    if failure is None or not live or (anchor is not None and failure.at < anchor):
        return None
    return failure
