"""How each deadline's anchor and due are worked out from an incident's facts.

Each rule's ``anchor`` (and ``tightens``, ``met_by``) in the procedure file picks which of the
workings below it follows; the seed file's rules give exactly the behaviour described here.

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
* The procedure is the workspace's loaded file (the seed when none was loaded). Its conditions
  see the incident as it is now: severity (the file's own name for that level: its first
  severity is the most severe), type, status and custom fields, so a rule whose condition
  stops holding retires and one that starts holding is added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commander.core.business_hours import BusinessHours
from commander.core.deadline_facts import TYPE_FIELD, IncidentFacts, Met
from commander.core.deadline_policy import DeadlineKind, DeadlineRule, rule_from_spec
from commander.core.policy import Severity, Status
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import DeadlineSpec, Procedure, Situation


def severity_key(procedure: Procedure, level: Severity) -> str:
    """The procedure's name for ``level``: its severities in order, most severe first."""
    keys = [s.key for s in procedure.severities]
    return keys[level.rank] if level.rank < len(keys) else level.value


class View:
    """The facts as of ``now``, normalized: sorted, clamped to declaration, future dropped."""

    def __init__(
        self, facts: IncidentFacts, now: datetime, procedure: Procedure | None = None
    ) -> None:
        self.procedure = procedure or seed_procedure()
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
        self.status = statuses[-1][1] if statuses else Status.INVESTIGATING
        self.values: dict[str, Any] = {"partners_affected": self.partners_now}
        for _, (key, value) in known([(at, (k, v)) for at, k, v in facts.field_changes]):
            self.values[key] = value
        self.type = str(self.values.pop(TYPE_FIELD, "") or "")
        self._rules: dict[tuple[Severity, str], DeadlineRule] = {}

    def situation(self, level: Severity | None = None) -> Situation:
        """What the procedure's conditions see now, at ``level`` (the current severity)."""
        key = severity_key(self.procedure, level or self.severity)
        return Situation(key, self.type, self.status.value, self.values)

    def rule(self, level: Severity, kind: str) -> DeadlineRule:
        """The rule of ``kind`` whose condition holds now at ``level``; when none holds, a rule
        that does not apply and says when it would. Memoized: a tick asks for each many times."""
        found = self._rules.get((level, kind))
        if found is None:
            found = self._rules[(level, kind)] = self._rule(level, kind)
        return found

    def _rule(self, level: Severity, kind: str) -> DeadlineRule:
        spec = _rule_for(self.procedure, kind, self.situation(level))
        if spec is not None:
            return _engine_rule(spec)
        named = next((r for r in self.procedure.deadlines if r.key == kind), None)
        if named is None:
            name = kind.replace("_", " ").capitalize()
            return DeadlineRule(name, "", not_applicable="Not in the procedure", anchor="")
        why = f"Applies when {named.when.why()}"
        return DeadlineRule(
            named.name, named.source, not_applicable=why, anchor="", cite=named.cite
        )

    def first_reached(self, level: Severity) -> datetime | None:
        """The first time the incident was at ``level`` or more severe."""
        return next((at for at, s in self.severities if s.rank <= level.rank), None)


_SPEC_RULES: dict[int, tuple[DeadlineSpec, DeadlineRule]] = {}
_HOLDING: dict[tuple[Any, ...], tuple[Procedure, DeadlineSpec | None]] = {}


def _rule_for(procedure: Procedure, kind: str, now: Situation) -> DeadlineSpec | None:
    """``procedure.rule_for``, remembered per situation: every tick asks the same questions."""
    values = tuple(sorted((k, repr(v)) for k, v in now.fields.items()))
    key = (id(procedure), kind, now.severity, now.type, now.status, values)
    held = _HOLDING.get(key)
    if held is None or held[0] is not procedure:
        if len(_HOLDING) > 4096:
            _HOLDING.clear()
        held = _HOLDING[key] = (procedure, procedure.rule_for(kind, now))
    return held[1]


def _engine_rule(spec: DeadlineSpec) -> DeadlineRule:
    """``rule_from_spec``, once per rule of a loaded procedure (specs are immutable)."""
    held = _SPEC_RULES.get(id(spec))
    if held is None or held[0] is not spec:
        if len(_SPEC_RULES) > 4096:  # procedures loaded one after another: forget the old
            _SPEC_RULES.clear()
        held = _SPEC_RULES[id(spec)] = (spec, rule_from_spec(spec))
    return held[1]


@dataclass(frozen=True)
class Slot:
    """A deadline before its state is worked out."""

    rule: DeadlineRule
    severity: Severity
    anchor: datetime | None = None
    due: datetime | None = None
    met: Met | None = None
    reason: str | None = None  # not applicable, and why
    window_start: datetime | None = None


def slot_for(kind: DeadlineKind, view: View, hours: BusinessHours) -> Slot:
    """The anchor, due and meeting of ``kind`` by its rule's anchor in the procedure file."""
    rule = view.rule(view.severity, kind)
    if not rule.anchor:  # no rule of the procedure holds now
        return Slot(rule, view.severity, met=view.met.get(kind), reason=rule.not_applicable)
    if rule.anchor == "severity_reached":
        if rule.tightens:
            return _tightest(kind, view, hours, _met_any(kind, view))
        return _escalation(view, hours, kind)
    if rule.anchor == "active":
        return internal_update(view, hours, kind)
    if rule.anchor == "partners_affected":
        return _partner_comms(view, hours, kind)
    if rule.anchor == "resolved":
        return _after_resolution(kind, view, hours)
    return anchored_slot(kind, rule, view, hours)


def _met_any(kind: DeadlineKind, view: View) -> Met | None:
    met = view.met.get(kind)
    met_by = view.rule(view.severity, kind).met_by
    if "acknowledged" not in met_by:
        return met
    acknowledged = view.facts.acknowledged_at
    found = [m for m in (met,) if m is not None]
    if acknowledged is not None and acknowledged <= view.now:
        found.append(Met(acknowledged, how="Acknowledged"))
    if found:
        return min(found, key=lambda m: m.at)
    if "resolved" in met_by and view.first_resolved is not None:
        return Met(view.first_resolved, how="Resolved before acknowledgement")
    return None


def _tightest(kind: DeadlineKind, view: View, hours: BusinessHours, met: Met | None) -> Slot:
    """One obligation whose clock only tightens: the earliest due among the levels still owed."""
    current = view.severity
    clocks = []
    for level in Severity:
        rule = view.rule(level, kind)
        since = view.first_reached(level)
        if level.rank >= current.rank and rule.applies and since is not None:
            clocks.append((rule.due_from(since, hours), level.rank, since, rule))
    if not clocks:
        rule = view.rule(current, kind)
        return Slot(rule, current, met=met, reason=rule.not_applicable)
    due, _, since, rule = min(clocks, key=lambda clock: clock[:2])
    return Slot(rule, current, since, due, met)


def _escalation(
    view: View, hours: BusinessHours, kind: DeadlineKind = DeadlineKind.ESCALATION
) -> Slot:
    """The current level's audience, from when the incident first reached that level."""
    current = view.severity
    rule = view.rule(current, kind)
    met = view.met.get(kind)
    if not rule.applies:
        return Slot(rule, current, met=met, reason=rule.not_applicable)
    since = view.first_reached(current) or view.declared_at
    if met is not None and since > view.declared_at and met.at < since:
        met = None  # notified a lesser audience before the upgrade
    return Slot(rule, current, since, rule.due_from(since, hours), met)


def internal_update(
    view: View, hours: BusinessHours, kind: DeadlineKind = DeadlineKind.INTERNAL_UPDATE
) -> Slot:
    """Due a policy interval (the cadence) after the last update or the active stretch's start."""
    rule = view.rule(view.severity, kind)
    if view.active_since is None:
        return Slot(rule, view.severity, reason="The incident is no longer active")
    if not rule.applies:
        return Slot(rule, view.severity, reason=rule.not_applicable)
    anchor = max([view.active_since, *view.updates])
    return Slot(rule, view.severity, anchor, rule.due_from(anchor, hours))


def _partner_comms(
    view: View, hours: BusinessHours, kind: DeadlineKind = DeadlineKind.PARTNER_COMMS
) -> Slot:
    """Anchored when partner integrations were first affected, whatever the severity."""
    rule = view.rule(view.severity, kind)
    met = view.met.get(kind)
    if not view.partners_now or view.partners_since is None:
        return Slot(rule, view.severity, met=met, reason="No partner integrations affected")
    if not rule.applies:
        return Slot(rule, view.severity, met=met, reason=rule.not_applicable)
    anchor = view.partners_since
    return Slot(rule, view.severity, anchor, rule.due_from(anchor, hours), met)


def _after_resolution(kind: DeadlineKind, view: View, hours: BusinessHours) -> Slot:
    rule = view.rule(view.severity, kind)
    met = view.met.get(kind)
    if met is not None and view.reopened_at is not None and met.at < view.reopened_at:
        met = None  # done for an earlier resolution
    if view.resolved_since is None:
        return Slot(rule, view.severity, met=None, reason="The incident is not resolved")
    if not rule.applies:
        return Slot(rule, view.severity, met=met, reason=rule.not_applicable)
    anchor = view.resolved_since
    window = None if rule.window is None else anchor + rule.window
    return Slot(rule, view.severity, anchor, rule.due_from(anchor, hours), met, None, window)


def anchored_slot(key: str, rule: DeadlineRule, view: View, hours: BusinessHours) -> Slot:
    """Any other rule, from the event its ``anchor`` names: declaration, the current severity
    first reached, the active stretch (a cadence after the last update), partners affected,
    resolution, a date-and-time field (``field:<key>``) or another deadline met (``met:<key>``).
    """
    met = view.met.get(key)
    if not rule.anchor:  # no rule of the procedure holds now
        return Slot(rule, view.severity, met=met, reason=rule.not_applicable)
    anchor, reason = _anchor_of(rule.anchor, view)
    if anchor is None:
        return Slot(rule, view.severity, met=met, reason=reason)
    if not rule.applies:
        return Slot(rule, view.severity, met=met, reason=rule.not_applicable)
    window = None if rule.window is None else anchor + rule.window
    return Slot(rule, view.severity, anchor, rule.due_from(anchor, hours), met, None, window)


def _anchor_of(name: str, view: View) -> tuple[datetime | None, str]:
    """When the event ``name`` happened, or None and why the deadline waits."""
    if name == "declared":
        return view.declared_at, ""
    if name == "severity_reached":
        return view.first_reached(view.severity) or view.declared_at, ""
    if name == "active":
        if view.active_since is None:
            return None, "The incident is no longer active"
        return max([view.active_since, *view.updates]), ""
    if name == "partners_affected":
        if not view.partners_now or view.partners_since is None:
            return None, "No partner integrations affected"
        return view.partners_since, ""
    if name == "resolved":
        if view.resolved_since is None:
            return None, "The incident is not resolved"
        return view.resolved_since, ""
    if name.startswith("field:"):
        key = name.removeprefix("field:")
        at = parse_moment(view.values.get(key))
        if at is None:
            spec = next((f for f in view.procedure.fields if f.key == key), None)
            return None, f"Waits for {spec.name if spec else key} to be filled in"
        return at, ""
    if name.startswith("met:"):
        key = name.removeprefix("met:")
        met = view.met.get(key)
        if met is None:
            rule = next((r for r in view.procedure.deadlines if r.key == key), None)
            return None, f"Waits for {rule.name if rule else key} to be met"
        return met.at, ""
    return None, f"The procedure names no event {name!r}"


def parse_moment(value: Any) -> datetime | None:
    """A date-and-time field's value (ISO 8601 with a zone), or None when it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return at if at.tzinfo is not None and at.utcoffset() is not None else None
