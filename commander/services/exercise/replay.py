"""Starting an exercise and replaying its injects as they fall due, without Qt.

``start_exercise`` makes a separate workspace under ``<data dir>/exercises/<id>/``, marks it
as an exercise (``storage.exercise_mark``: from then on it runs on a ``ScaledClock``, never
syncs and sends nothing) and declares the scenario's incident. ``ExerciseReplay.apply_due``
applies every inject whose offset has passed on the exercise's clock, each through the use
case a real one would take (alert ingest, impact samples, timeline entries, the roster), in
one transaction with the count of injects applied: a window and a terminal replaying the same
exercise apply each inject once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from commander.core.alerts import FIRING, RESOLVED, Alert
from commander.core.clock import Clock, ScaledClock, iso
from commander.core.entry_kinds import Kind
from commander.core.errors import ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field
from commander.core.records import ChangeSet
from commander.core.roles import PROCEDURE_ROLES, find_role
from commander.core.scenario_file import load_scenario
from commander.core.scenario_model import Inject, InjectKind, Scenario
from commander.core.text import SHORT_MAX, clean_text
from commander.services.alerts import AlertService
from commander.services.exercise.from_incident import unreachable_event
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import alert_store, exercise_mark, oplog
from commander.storage.oplog import OpDraft
from commander.storage.workspace_file import DB_FILENAME

EXERCISES_DIR = "exercises"
SPEED_MIN = 1.0
SPEED_MAX = 60.0
_META_INCIDENT = "exercise_incident"
ALERT_SOURCE = "exercise"


@dataclass
class ReplayStep:
    """What one ``apply_due`` did."""

    applied: list[Inject] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)
    finished: bool = False


def check_speed(speed: float) -> float:
    if not SPEED_MIN <= speed <= SPEED_MAX:
        raise ValidationError(f"--speed: give a speed from 1 to 60 (got {speed:g}).")
    return float(speed)


def start_exercise(
    data_dir: Path,
    scenario_text: str,
    source: str,
    *,
    speed: float,
    author: str,
    clock: Clock,
    zone: tzinfo,
) -> Workspace:
    """Check the scenario, make and mark the practice workspace, declare its incident.

    Returns the exercise workspace, open on its scaled clock (the caller closes it).
    """
    scenario = load_scenario(scenario_text, source)
    speed = check_speed(speed)
    if (Path(data_dir) / DB_FILENAME).exists():
        home = Workspace.open(Path(data_dir), author=author, clock=clock, zone=zone)
        try:
            if home.exercise is not None:
                raise ValidationError(
                    f"{data_dir} is an exercise itself; start one from your own workspace."
                )
        finally:
            home.close()
    folder = Path(data_dir) / EXERCISES_DIR / new_id()
    folder.mkdir(parents=True)
    first = Workspace.open(folder, author=author, clock=clock, zone=zone)
    try:
        with first.write() as conn:
            mark = exercise_mark.ExerciseMark(scenario.title, scenario_text, clock.now(), speed)
            exercise_mark.write_mark(conn, mark)
    finally:
        first.close()
    ws = Workspace.open(folder, author=author, clock=clock, zone=zone)
    ExerciseReplay(ws).declare()
    return ws


def exercise_dirs(data_dir: Path) -> list[Path]:
    """The practice workspaces made from ``data_dir``, newest first (ids sort by time)."""
    root = Path(data_dir) / EXERCISES_DIR
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.is_dir()), reverse=True)


class ExerciseReplay:
    """The injects of the exercise ``workspace`` (refused for a real workspace)."""

    def __init__(self, workspace: Workspace) -> None:
        if workspace.exercise is None:
            raise ValidationError(f"{workspace.data_dir} is not an exercise workspace.")
        self._ws = workspace
        self.mark = workspace.exercise
        self.scenario: Scenario = load_scenario(self.mark.scenario_text, "the exercise")
        self._incidents = IncidentService(workspace)
        self._alerts = AlertService(workspace, incidents=self._incidents)
        self._impact = ImpactService(workspace)
        self._roster = RosterService(workspace)

    @property
    def workspace(self) -> Workspace:
        return self._ws

    @property
    def started_at(self) -> datetime:
        return self.mark.started_at

    def elapsed(self) -> timedelta:
        return self._ws.clock.now() - self.started_at

    def incident_id(self) -> str | None:
        with self._ws.read() as conn:
            return oplog.read_meta(conn, _META_INCIDENT)

    def applied_count(self) -> int:
        with self._ws.read() as conn:
            return exercise_mark.applied_count(conn)

    def next_due(self) -> datetime | None:
        """When the next inject falls due on the exercise's clock; None when all are in."""
        count = self.applied_count()
        if count >= len(self.scenario.injects):
            return None
        return self.started_at + self.scenario.injects[count].at

    @property
    def ended(self) -> bool:
        return self.mark.ended_at is not None

    def end(self) -> datetime:
        """Stop the exercise's clock now (once): the debrief stays as it was at the end, however
        much later it is read. Returns the end on the exercise's clock."""
        clock = self._ws.clock
        assert isinstance(clock, ScaledClock)
        with self._ws.write() as conn:
            mark = exercise_mark.read_mark(conn)
            assert mark is not None
            if mark.ended_at is None:
                mark = replace(mark, ended_at=clock.base.now())
                exercise_mark.write_mark(conn, mark)
        self.mark = self._ws.exercise = mark
        clock.stop = mark.ended_at
        return clock.now()

    def declare(self) -> str:
        """Declare the scenario's incident at the start (once)."""
        with self._ws.unit_of_work() as conn:
            known = oplog.read_meta(conn, _META_INCIDENT)
            if known:
                return known
            spec = self.scenario.incident
            declared = self._incidents.declare(
                title=spec.title, severity=spec.severity, services=spec.services, impact=spec.impact
            )
            for flag in ("partners_affected", "security_related"):
                if getattr(spec, flag):
                    self._incidents.set_field(declared.incident.id, flag, True)
            oplog.write_meta(conn, _META_INCIDENT, declared.incident.id)
        return declared.incident.id

    def apply_due(self) -> ReplayStep:
        """Apply every inject due by now, each in one transaction with its count."""
        step = ReplayStep()
        incident_id = self.incident_id() or self.declare()
        injects = self.scenario.injects
        while True:
            with self._ws.unit_of_work() as conn:
                count = exercise_mark.applied_count(conn)
                if count >= len(injects) or injects[count].at > self.elapsed():
                    break
                inject = injects[count]
                _merge(step.changes, self._apply(incident_id, inject))
                exercise_mark.set_applied_count(conn, count + 1)
            step.applied.append(inject)
        step.finished = self.applied_count() >= len(injects)
        return step

    def _apply(self, incident_id: str, inject: Inject) -> ChangeSet:
        """Each inject is stamped at its own time, even when applied late (a window opened
        after it fell due, a laptop that slept): the timeline reads as the scenario does."""
        if inject.kind is InjectKind.ALERT_FIRING:
            return self._fire(incident_id, inject)
        if inject.kind is InjectKind.ALERT_RESOLVED:
            return self._resolve(inject)
        if inject.kind is InjectKind.IMPACT:
            return self._impact.add(incident_id, inject.metric, inject.value, at=self._due(inject))
        if inject.kind is InjectKind.MESSAGE:
            return self._message(incident_id, inject)
        return self._unreachable(incident_id, inject)

    def _due(self, inject: Inject) -> datetime:
        return min(self.started_at + inject.at, self._ws.clock.now())

    def _fire(self, incident_id: str, inject: Inject) -> ChangeSet:
        fingerprint = alert_fingerprint(inject.alert)
        alert = Alert(
            fingerprint=fingerprint,
            status=FIRING,
            labels={"alertname": inject.alert, **dict(inject.labels)},
            annotations={"summary": inject.summary} if inject.summary else {},
            starts_at=self._due(inject),
            source=ALERT_SOURCE,
        )
        report = self._alerts.ingest([alert])
        with self._ws.read() as conn:
            linked = any(
                link.incident_id == incident_id for link in alert_store.links_of(conn, fingerprint)
            )
        if linked:
            return report.changes
        changes = self._alerts.link(fingerprint, incident_id)
        _merge(changes, report.changes)
        return changes

    def _resolve(self, inject: Inject) -> ChangeSet:
        with self._ws.read() as conn:
            cached = alert_store.get(conn, alert_fingerprint(inject.alert))
        if cached is None:
            return ChangeSet()
        gone = Alert(
            fingerprint=cached.fingerprint,
            status=RESOLVED,
            labels=cached.labels,
            annotations=cached.annotations,
            starts_at=cached.starts_at,
            ends_at=self._due(inject),
            source=ALERT_SOURCE,
        )
        return self._alerts.ingest([gone]).changes

    def _message(self, incident_id: str, inject: Inject) -> ChangeSet:
        """A timeline entry whose op is written by the sender themself."""
        sender = clean_text(inject.sender, what="Sender", limit=SHORT_MAX, required=True)
        value = {
            "occurred_at": iso(self._due(inject)),
            "event": clean_text(
                f"Message from {sender}: {inject.text}", what="Message", limit=4000
            ),
            "action": "",
            "owner": "",
            "kind": Kind.COMMUNICATION,
            "attributed_to": sender,
        }
        draft = OpDraft(incident_id, Entity.ENTRY, new_id(), Field.CREATE, value)
        with self._ws.write() as conn:
            ops = oplog.append(
                conn,
                [draft],
                node_id=self._ws.node_id,
                author=sender,
                clock=self._ws.clock,
                signer=self._ws.signer(),
            )
        return ChangeSet.of(ops)

    def _unreachable(self, incident_id: str, inject: Inject) -> ChangeSet:
        """Logged, and the holder (if any) released so the role shows as unfilled."""
        role = find_role(inject.role, PROCEDURE_ROLES)
        line = self._roster.roster(incident_id).line(role.key)
        holder = line.holder if line is not None else None
        if holder is None or holder.is_release:
            event = unreachable_event(role.name, None, inject.text)
            _entry, changes = self._incidents.log(
                incident_id, event, kind=Kind.OBSERVATION, occurred_at=self._due(inject)
            )
            return changes
        who = holder.person_name or holder.person or "The holder"
        event = unreachable_event(role.name, who, inject.text)
        _entry, changes = self._incidents.log(
            incident_id, event, kind=Kind.OBSERVATION, occurred_at=self._due(inject)
        )
        released = self._roster.release(incident_id, role, note=f"{who} is unreachable")
        _merge(changes, released.changes)
        return changes


def alert_fingerprint(name: str) -> str:
    """The same fingerprint for the same alert name within an exercise."""
    return "exercise-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def _merge(into: ChangeSet, changes: ChangeSet) -> None:
    into.incident_ids |= changes.incident_ids
    into.records_changed |= changes.records_changed
    for incident_id, ids in changes.entry_ids.items():
        into.entry_ids.setdefault(incident_id, set()).update(ids)
