"""The procedure's deadlines, computed from an incident's facts and the current time.

A deadline is never counted down: ``due`` is derived from stored anchor times (declaration,
severity changes, last internal update, resolution) and a policy offset, and the countdown is
``due - now``. So timers agree across restarts, laptops and the war-room screen, and a laptop that
wakes from sleep shows the right value at once. Everything here is a pure function over plain
data; the services gather the facts, the UI shows the result.

The rules where the procedure is silent (all decided here, in one place):

* Severity changes. Response, customer and partner deadlines are one obligation whose clock can
  only tighten: each severity level's clock starts the first time the incident reached that level
  or worse, and the due is the tightest clock among the levels the current severity demands. An
  upgrade P2 -> P0 at 10:40 therefore makes the acknowledgement due 10:55 (not retroactively
  10:15); a downgrade relaxes to the lower level's clock from when the incident first reached it;
  anything already met stays met. Escalation is different: each level names another audience
  (executives, management, team lead), so it follows the current level only, anchored when the
  incident first reached that level, and a notification recorded before that anchor (the team
  lead, before the upgrade) does not count for the new audience.
* P2 team lead notification: due with the P2 response time (2 h); the procedure gives no time.
* P3 escalation: not applicable ("normal team processes").
* Internal updates every 30 min apply to every severity, as the procedure says, while the incident
  is active; the anchor is the later of the last update sent and the start of the current active
  stretch (declaration or re-opening), so a re-opened incident is not overdue from days ago.
* An incident resolved before anyone acknowledged it counts as acknowledged at the resolution.
* Post-resolution deadlines anchor at the start of the current resolved stretch; re-opening makes
  them not applicable until it is resolved again, and work marked done before a re-opening does
  not count for the next resolution.
* Facts later than ``now`` are ignored: the result is the state *as of* ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from commander.core.business_hours import BusinessHours
from commander.core.clock import iso
from commander.core.deadline_policy import (
    AFTER_RESOLUTION,
    DEADLINE_POLICY,
    DeadlineKind,
    DeadlineRule,
    DeadlineState,
)
from commander.core.errors import ValidationError
from commander.core.policy import Severity, Status


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

    def __post_init__(self) -> None:
        if not self.severity_changes:
            raise ValidationError("An incident needs a severity at declaration.")
        times = [self.declared_at, *(at for at, _ in self.severity_changes)]
        times += [at for at, _ in self.status_changes] + [at for at, _ in self.partner_changes]
        times += [*self.internal_updates, *(m.at for m in self.met.values())]
        times += [s.until for s in self.snoozed.values()]
        if self.acknowledged_at is not None:
            times.append(self.acknowledged_at)
        for at in times:
            _require_aware(at)


@dataclass(frozen=True)
class Deadline:
    """One deadline as of ``now``: what the timers panel, war-room screen and CLI show.

    ``anchor``/``due``/``remaining`` are None when the deadline does not apply. ``remaining`` is
    ``due - now``, negative when overdue. ``applies`` is False for a requirement the current
    situation does not have; such a deadline can still be ``met`` (met before a downgrade).
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
    window_start: datetime | None = None
    snoozed_until: datetime | None = None

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
            "window_start": when(self.window_start),
            "snoozed_until": when(self.snoozed_until),
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
    _require_aware(now)
    if due_soon < timedelta(0):
        raise ValidationError("The due-soon threshold cannot be negative.")
    view = _View(facts, now)
    return [_finish(kind, _slot(kind, view, hours), view, due_soon) for kind in DeadlineKind]


def next_internal_update(
    facts: IncidentFacts, now: datetime, *, hours: BusinessHours | None = None
) -> datetime | None:
    """When the next internal update is due (the templates' "Next Update"); None if inactive.

    ``hours`` matters only if the policy ever states updates in business time.
    """
    _require_aware(now)
    return _internal_update(_View(facts, now), hours or BusinessHours()).due


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


def resolved_since(facts: IncidentFacts, now: datetime) -> datetime | None:
    """Start of the current resolved stretch (None while active): where "elapsed" stops."""
    return _View(facts, now).resolved_since


# --- internals -----------------------------------------------------------------------------


class _View:
    """The facts as of ``now``, normalized: sorted, clamped to declaration, future dropped."""

    def __init__(self, facts: IncidentFacts, now: datetime) -> None:
        self.facts = facts
        self.now = now
        self.declared_at = declared = facts.declared_at

        def known(changes: Sequence[tuple[datetime, Any]]) -> list[tuple[datetime, Any]]:
            clamped = [(max(at, declared), value) for at, value in changes]
            return sorted((c for c in clamped if c[0] <= now), key=lambda c: c[0])

        first_severity = facts.severity_changes[0][1]
        self.severities: list[tuple[datetime, Severity]] = [
            (declared, first_severity),
            *known(facts.severity_changes[1:]),
        ]
        self.severity = self.severities[-1][1]

        statuses = [(declared, Status.INVESTIGATING), *known(facts.status_changes)]
        self.active_since: datetime | None = None  # start of the current active stretch
        self.resolved_since: datetime | None = None  # start of the current resolved stretch
        self.first_resolved: datetime | None = None
        # The last re-opening: work marked done before it belongs to an earlier resolution.
        self.reopened_at: datetime | None = None
        for at, status in statuses:
            if status.is_active and self.active_since is None:
                if self.resolved_since is not None:
                    self.reopened_at = at
                self.active_since, self.resolved_since = at, None
            elif not status.is_active and self.resolved_since is None:
                self.resolved_since, self.active_since = at, None
                self.first_resolved = self.first_resolved or at

        partners = [(declared, facts.partners_affected), *known(facts.partner_changes)]
        self.partners_now: bool = partners[-1][1]
        self.partners_since = next((at for at, affected in partners if affected), None)

        self.updates = [at for at in facts.internal_updates if at <= now]
        self.met = {key: m for key, m in facts.met.items() if m.at <= now}

    def first_reached(self, level: Severity) -> datetime | None:
        """The first time the incident was at ``level`` or more severe."""
        return next((at for at, s in self.severities if s.rank <= level.rank), None)


@dataclass(frozen=True)
class _Slot:
    """A deadline before its state is worked out."""

    rule: DeadlineRule
    severity: Severity
    anchor: datetime | None = None
    due: datetime | None = None
    met: Met | None = None
    reason: str | None = None  # not applicable, and why
    window_start: datetime | None = None


def _slot(kind: DeadlineKind, view: _View, hours: BusinessHours) -> _Slot:
    if kind is DeadlineKind.ESCALATION:
        return _escalation(view, hours)
    if kind is DeadlineKind.INTERNAL_UPDATE:
        return _internal_update(view, hours)
    if kind is DeadlineKind.PARTNER_COMMS:
        return _partner_comms(view, hours)
    if kind in AFTER_RESOLUTION:
        return _after_resolution(kind, view, hours)
    return _tightest(kind, view, hours, _met_any(kind, view))


def _met_any(kind: DeadlineKind, view: _View) -> Met | None:
    met = view.met.get(kind)
    if kind is not DeadlineKind.RESPONSE:
        return met
    acknowledged = view.facts.acknowledged_at
    found = [m for m in (met,) if m is not None]
    if acknowledged is not None and acknowledged <= view.now:
        found.append(Met(acknowledged, how="Acknowledged"))
    if found:
        return min(found, key=lambda m: m.at)
    if view.first_resolved is not None:
        return Met(view.first_resolved, how="Resolved before acknowledgement")
    return None


def _tightest(kind: DeadlineKind, view: _View, hours: BusinessHours, met: Met | None) -> _Slot:
    """One obligation whose clock only tightens: the earliest due among the levels still owed."""
    current = view.severity
    clocks = []
    for level in Severity:
        rule = DEADLINE_POLICY[level][kind]
        since = view.first_reached(level)
        if level.rank >= current.rank and rule.applies and since is not None:
            clocks.append((rule.due_from(since, hours), level.rank, since, rule))
    if not clocks:
        rule = DEADLINE_POLICY[current][kind]
        return _Slot(rule, current, met=met, reason=rule.not_applicable)
    due, _, since, rule = min(clocks, key=lambda clock: clock[:2])
    return _Slot(rule, current, since, due, met)


def _escalation(view: _View, hours: BusinessHours) -> _Slot:
    """The current level's audience, from when the incident first reached that level."""
    current = view.severity
    rule = DEADLINE_POLICY[current][DeadlineKind.ESCALATION]
    met = view.met.get(DeadlineKind.ESCALATION)
    if not rule.applies:
        return _Slot(rule, current, met=met, reason=rule.not_applicable)
    since = view.first_reached(current) or view.declared_at
    if met is not None and since > view.declared_at and met.at < since:
        met = None  # notified a lesser audience before the upgrade
    return _Slot(rule, current, since, rule.due_from(since, hours), met)


def _internal_update(view: _View, hours: BusinessHours) -> _Slot:
    rule = DEADLINE_POLICY[view.severity][DeadlineKind.INTERNAL_UPDATE]
    if view.active_since is None:
        return _Slot(rule, view.severity, reason="The incident is no longer active")
    if not rule.applies:
        return _Slot(rule, view.severity, reason=rule.not_applicable)
    anchor = max([view.active_since, *view.updates])
    return _Slot(rule, view.severity, anchor, rule.due_from(anchor, hours))


def _partner_comms(view: _View, hours: BusinessHours) -> _Slot:
    """Anchored when partner integrations were first affected, whatever the severity."""
    rule = DEADLINE_POLICY[view.severity][DeadlineKind.PARTNER_COMMS]
    met = view.met.get(DeadlineKind.PARTNER_COMMS)
    if not view.partners_now or view.partners_since is None:
        return _Slot(rule, view.severity, met=met, reason="No partner integrations affected")
    if not rule.applies:
        return _Slot(rule, view.severity, met=met, reason=rule.not_applicable)
    anchor = view.partners_since
    return _Slot(rule, view.severity, anchor, rule.due_from(anchor, hours), met)


def _after_resolution(kind: DeadlineKind, view: _View, hours: BusinessHours) -> _Slot:
    rule = DEADLINE_POLICY[view.severity][kind]
    met = view.met.get(kind)
    if met is not None and view.reopened_at is not None and met.at < view.reopened_at:
        met = None  # done for an earlier resolution
    if view.resolved_since is None:
        return _Slot(rule, view.severity, met=None, reason="The incident is not resolved")
    if not rule.applies:
        return _Slot(rule, view.severity, met=met, reason=rule.not_applicable)
    anchor = view.resolved_since
    window = None if rule.window is None else anchor + rule.window
    return _Slot(rule, view.severity, anchor, rule.due_from(anchor, hours), met, None, window)


def _finish(kind: DeadlineKind, slot: _Slot, view: _View, due_soon: timedelta) -> Deadline:
    now, met = view.now, slot.met
    applies = slot.reason is None
    remaining = None if slot.due is None else slot.due - now
    if met is not None:
        state = DeadlineState.MET
    elif not applies or slot.due is None or remaining is None:
        state = DeadlineState.NOT_APPLICABLE
    elif now > slot.due:
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
        window_start=slot.window_start,
        snoozed_until=snooze.until if snooze and live and snooze.until > now else None,
    )


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValidationError(f"Expected a time with a zone, got {when.isoformat()}.")
