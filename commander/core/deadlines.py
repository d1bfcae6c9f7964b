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
from commander.core.deadline_rules import Slot, View, anchored_slot, internal_update, slot_for
from commander.core.errors import ValidationError
from commander.core.policy import Severity
from commander.core.procedure_model import Procedure

DeadlineKey = DeadlineKind | str
"""A deadline's key: one of the engine's own kinds, or a key the procedure file adds."""
_ENGINE_KINDS = frozenset(kind.value for kind in DeadlineKind)


@dataclass(frozen=True)
class Deadline:
    """One deadline as of ``now``: what the timers panel, war-room screen and CLI show.

    ``anchor``/``due``/``remaining`` are None when the deadline does not apply. ``remaining`` is
    ``due - now``, negative when overdue. ``applies`` is False for a requirement the current
    situation does not have; such a deadline can still be ``met`` (met before a downgrade).
    ``missed_at`` is ``due`` plus the rule's grace: an immediate deadline is "due now" (state
    due soon) until then, and met in time when met by then.
    """

    key: DeadlineKey
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
    cite: str = ""  # the article a regulatory rule cites ("GDPR Art. 33(1)")
    audience: str = ""

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

    # Hand-written: keys not in field order, a nested failure shape, cite only when set.
    def to_json(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return None if value is None else iso(value)

        out: dict[str, Any] = {
            "key": str(self.key),
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
        if self.cite:
            out["cite"] = self.cite  # only a rule that cites one: the seed's JSON is unchanged
        return out


def compute_deadlines(
    facts: IncidentFacts,
    now: datetime,
    *,
    hours: BusinessHours,
    due_soon: timedelta = timedelta(minutes=5),
    procedure: Procedure | None = None,
) -> list[Deadline]:
    """Every deadline of the incident as of ``now``: the engine's kinds the procedure names, in
    ``DeadlineKind`` order, then the keys the procedure adds, in the file's order.

    Args:
        facts: the incident's stored times.
        now: the current time (from the ``Clock``).
        hours: the business calendar for next-business-day deadlines.
        due_soon: how close to ``due`` a deadline turns "due soon".
        procedure: the workspace's procedure; the built-in seed when None.
    """
    require_aware(now)
    if due_soon < timedelta(0):
        raise ValidationError("The due-soon threshold cannot be negative.")
    view = View(facts, now, procedure)
    named = view.procedure.deadline_keys()
    out = [
        _finish(kind, slot_for(kind, view, hours), view, due_soon)
        for kind in DeadlineKind
        if kind.value in named
    ]
    for key in named:
        if key not in _ENGINE_KINDS:
            slot = anchored_slot(key, view.rule(view.severity, key), view, hours)
            out.append(_finish(key, slot, view, due_soon))
    return out


def next_internal_update(
    facts: IncidentFacts,
    now: datetime,
    *,
    hours: BusinessHours | None = None,
    procedure: Procedure | None = None,
) -> datetime | None:
    """When the next internal update is due (the templates' "Next Update"); None if inactive.

    ``hours`` matters only if the policy ever states updates in business time.
    """
    require_aware(now)
    return internal_update(View(facts, now, procedure), hours or BusinessHours()).due


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


def _finish(kind: DeadlineKey, slot: Slot, view: View, due_soon: timedelta) -> Deadline:
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
        cite=slot.rule.cite,
        audience=slot.rule.audience,
    )


def _open_failure(
    failure: SendFailure | None, anchor: datetime | None, live: bool
) -> SendFailure | None:
    """A failed send matters while the deadline is open and nothing was sent since."""
    if failure is None or not live or (anchor is not None and failure.at < anchor):
        return None
    return failure
