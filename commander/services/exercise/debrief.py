"""The debrief of an exercise: what the team did, against the procedure's clocks.

Everything is derived from the exercise workspace's own records (deadline events, the outbox,
the roster history), read at the exercise clock's "now", so the figures are the ones a real
incident's review would show; offsets are measured from the declaration.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from commander.core.deadline_policy import DeadlineKind, DeadlineState
from commander.core.deadlines import Deadline
from commander.core.records_json import JsonRecord, json_field
from commander.core.scenario_model import format_offset
from commander.core.templates import Audience
from commander.services.deadlines import deadline_service_for
from commander.services.exercise.replay import ExerciseReplay
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage.outbox_queries import sent_audiences

MET, LATE, MISSED, OPEN = "met", "late", "missed", "open"


@dataclass(frozen=True)
class DeadlineOutcome(JsonRecord):
    key: str
    name: str
    due_after: timedelta | None = field(
        metadata=json_field(name="due_after_s")
    )  # the procedure's clock, from the declaration
    met_after: timedelta | None = field(metadata=json_field(name="met_after_s"))
    outcome: str  # met / late / missed / open


@dataclass(frozen=True)
class RoleFilled(JsonRecord):
    role: str
    person: str
    after: timedelta = field(metadata=json_field(name="after_s"))
    within_response: bool = field(
        metadata=json_field(name="within_response_time")
    )  # filled within the severity's response time


@dataclass(frozen=True)
class Debrief:
    scenario: str
    incident_ref: str
    severity: str
    speed: float
    elapsed: timedelta
    injects_applied: int
    injects_total: int
    response_time: timedelta | None  # the procedure's clock for acknowledging
    acknowledged_after: timedelta | None
    deadlines: tuple[DeadlineOutcome, ...]
    updates: dict[str, int]  # messages delivered (to the practice outbox) per audience
    internal_updates: int  # on the 30-minute clock, however they were recorded
    roles: tuple[RoleFilled, ...]
    roles_missing: tuple[str, ...]
    ended: bool = False  # the exercise clock stopped: these figures no longer change

    def count(self, outcome: str) -> int:
        return sum(1 for d in self.deadlines if d.outcome == outcome)

    # Hand-written: grouped and computed values (injects, acknowledge, deadline counts).
    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "incident": self.incident_ref,
            "severity": self.severity,
            "speed": self.speed,
            "elapsed_s": self.elapsed.total_seconds(),
            "injects": {"applied": self.injects_applied, "total": self.injects_total},
            "acknowledge": {
                "after_s": _seconds(self.acknowledged_after),
                "procedure_s": _seconds(self.response_time),
            },
            "deadlines": [d.to_json() for d in self.deadlines],
            "deadline_counts": {k: self.count(k) for k in (MET, LATE, MISSED, OPEN)},
            "updates": self.updates,
            "internal_updates": self.internal_updates,
            "roles": [r.to_json() for r in self.roles],
            "roles_missing": list(self.roles_missing),
            "ended": self.ended,
        }


def debrief(workspace: Workspace) -> Debrief:
    """The debrief of the exercise ``workspace`` as of its clock's now."""
    replay = ExerciseReplay(workspace)
    incident_id = replay.incident_id() or replay.declare()
    incident = IncidentService(workspace).get(incident_id)
    now = workspace.clock.now()
    service = deadline_service_for(workspace)
    facts = service.facts(incident_id)
    declared = facts.declared_at
    deadlines = [d for d in service.compute(facts, now) if d.applies or d.met_at is not None]
    outcomes = tuple(
        outcome
        for d in deadlines
        for outcome in (
            _update_cycles(d, declared, facts.internal_updates)
            if d.key is DeadlineKind.INTERNAL_UPDATE
            else [_outcome(d, declared)]
        )
    )
    ack = facts.acknowledged_at
    response = incident.severity.level.response_time
    roster = RosterService(workspace).roster(incident_id)
    roles = tuple(
        RoleFilled(
            _role_name(roster, a.role),
            a.person_name or a.person or "",
            a.at - declared,
            response is None or a.at - declared <= response,
        )
        for a in roster.history
        if a.person is not None and not a.superseded
    )
    return Debrief(
        scenario=replay.scenario.title,
        incident_ref=incident.ref,
        severity=incident.severity.value,
        speed=replay.mark.speed,
        elapsed=replay.elapsed(),
        injects_applied=replay.applied_count(),
        injects_total=len(replay.scenario.injects),
        response_time=response,
        acknowledged_after=None if ack is None else ack - declared,
        deadlines=outcomes,
        updates=_updates(workspace, incident_id),
        internal_updates=len(facts.internal_updates),
        roles=roles,
        roles_missing=tuple(r.name for r in roster.missing),
        ended=replay.ended,
    )


def _outcome(deadline: Deadline, declared: datetime) -> DeadlineOutcome:
    if deadline.met_at is not None:
        outcome = MET if deadline.met_in_time() else LATE
    elif deadline.state is DeadlineState.OVERDUE:
        outcome = MISSED
    else:
        outcome = OPEN
    return DeadlineOutcome(
        str(deadline.key),
        deadline.name,
        None if deadline.due is None else deadline.due - declared,
        None if deadline.met_at is None else deadline.met_at - declared,
        outcome,
    )


def _update_cycles(
    deadline: Deadline, declared: datetime, sent: Sequence[datetime]
) -> list[DeadlineOutcome]:
    """The 30-minute clock as it ran: one outcome per update sent, then the open one."""
    if deadline.due is None or deadline.anchor is None:
        return [_outcome(deadline, declared)]
    cadence = deadline.due - deadline.anchor
    found: list[DeadlineOutcome] = []
    anchor = declared
    for number, at in enumerate(sorted(sent), start=1):
        due = anchor + cadence
        found.append(
            DeadlineOutcome(
                str(deadline.key),
                f"{deadline.name} {number}",
                due - declared,
                at - declared,
                MET if at <= due else LATE,
            )
        )
        anchor = at
    last = _outcome(deadline, declared)
    found.append(
        DeadlineOutcome(
            last.key, f"{deadline.name} {len(sent) + 1}", last.due_after, None, last.outcome
        )
    )
    return found


def _updates(workspace: Workspace, incident_id: str) -> dict[str, int]:
    with workspace.read() as conn:
        counted = Counter(sent_audiences(conn, incident_id))
    return {a.value: counted.get(a.value, 0) for a in Audience}


def _role_name(roster: Any, key: str) -> str:
    line = roster.line(key)
    return line.role.name if line is not None else key


def _seconds(span: timedelta | None) -> float | None:
    return None if span is None else span.total_seconds()


def render_debrief(report: Debrief) -> str:
    """The debrief as text for the terminal."""
    lines = [
        f"Exercise debrief: {report.scenario}",
        f"{report.incident_ref} ({report.severity}) at {report.speed:g}x, "
        f"{format_offset(_whole(report.elapsed))} of exercise time, "
        f"{report.injects_applied} of {report.injects_total} injects"
        + ("" if report.ended else " (still running: 'commander exercise end' stops its clock)"),
        "",
    ]
    clock = format_offset(report.response_time) if report.response_time else "next business day"
    if report.acknowledged_after is None:
        lines.append(f"Acknowledged: not yet (the procedure: within {clock})")
    else:
        lines.append(
            f"Acknowledged after {format_offset(_whole(report.acknowledged_after))} "
            f"(the procedure: within {clock})"
        )
    lines += [
        "",
        f"Deadlines: {report.count(MET)} met, {report.count(LATE)} late, "
        f"{report.count(MISSED)} missed, {report.count(OPEN)} open",
    ]
    for d in report.deadlines:
        due = f"due at {format_offset(_whole(d.due_after))}" if d.due_after is not None else ""
        met = f", met at {format_offset(_whole(d.met_after))}" if d.met_after is not None else ""
        lines.append(f"  {d.outcome:<6} {d.name} ({due}{met})".replace("(, ", "("))
    sent = ", ".join(f"{Audience(k).label.lower()} {v}" for k, v in report.updates.items())
    lines += ["", f"Updates sent: {sent}; internal updates on the clock: {report.internal_updates}"]
    lines.append("")
    if not report.roles:
        lines.append("Roles filled: none")
    for role in report.roles:
        verdict = "within" if role.within_response else "after"
        lines.append(
            f"  {role.role}: {role.person} at {format_offset(_whole(role.after))} "
            f"({verdict} the response time {clock})"
        )
    if report.roles_missing:
        lines.append("Roles still missing: " + ", ".join(report.roles_missing))
    return "\n".join(lines)


def _whole(span: timedelta) -> timedelta:
    return timedelta(seconds=round(max(span, timedelta(0)).total_seconds()))
