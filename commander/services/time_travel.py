"""An incident as it stood at a past moment, rebuilt from the op log (read-only).

Which ops count: an op belongs to the state at ``T`` when its recorded stamp (the wall time
of the op's own ``hlc``, written by the node that made it, hashed and signed with it) is at or
before ``T``. That is "what the record held at T", not "what had happened by T": an entry
typed at 10:50 saying it occurred at 10:42 is not yet there at 10:45, because at 10:45 nobody
had written it. A node whose clock ran ahead orders its ops by a stamp it adopted later
(docs/ordering.md); that re-orders them among the ops taken, it does not move them earlier.

How: the ops up to ``T`` of the incident and of the workspace (people, roles, templates,
node keys) are stored and applied, in their log order, into a scratch in-memory SQLite
through ``oplog.apply``, the same apply path as local writes and sync; the usual services
then read it, and the deadlines are computed with the clock pinned at ``T``. Nothing is
written to the workspace itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock, from_ms, iso, to_ms
from commander.core.deadlines import Deadline
from commander.core.errors import ValidationError
from commander.core.hlc import HlcStamp
from commander.core.impact import Metric, Sample
from commander.core.ops import Entity, Field, Op
from commander.core.procedure_versions import ProcedureVersion
from commander.core.records import Incident, TimelineEntry
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.procedures import procedure_versions
from commander.services.roster import Roster, RosterService
from commander.services.workspace import Workspace
from commander.storage import oplog, time_travel_queries
from commander.storage.tables import metadata


@dataclass(frozen=True)
class StateAt:
    """Everything the incident's views show, as of ``at``."""

    at: datetime
    incident: Incident
    roster: Roster
    deadlines: list[Deadline]
    timeline: list[TimelineEntry]
    impact: dict[Metric, list[Sample]]
    ops: int  # how many ops of the log made this state
    procedures: list[ProcedureVersion]  # the version at declaration, then each change by ``at``

    # Hand-written: impact samples keyed by metric in their own shape.
    def to_json(self) -> dict[str, Any]:
        return {
            "at": iso(self.at),
            "ops": self.ops,
            "incident": self.incident.to_json(),
            "roster": self.roster.to_json(),
            "deadlines": [d.to_json() for d in self.deadlines],
            "timeline": [e.to_json() for e in self.timeline],
            "impact": {
                metric.value: [{"at": iso(s.at), "value": s.value} for s in samples]
                for metric, samples in self.impact.items()
            },
            "procedures": [v.to_json() for v in self.procedures],
        }


def op_time(op: Op) -> datetime:
    """The moment an op joins the state: its recorded stamp's wall time."""
    return from_ms(HlcStamp.decode(op.hlc).wall_ms)


def ops_until(workspace: Workspace, incident_id: str, at: datetime) -> list[Op]:
    """The incident's and the workspace's ops recorded at or before ``at``, in log order."""
    limit = to_ms(at)
    with workspace.read() as conn:
        ops = time_travel_queries.incident_and_workspace_ops(conn, incident_id)
    return [op for op in ops if HlcStamp.decode(op.hlc).wall_ms <= limit]


def incident_span(workspace: Workspace, incident_id: str) -> tuple[datetime, datetime]:
    """The first and the last recorded stamp of the incident's ops: the scrubber's range."""
    with workspace.read() as conn:
        stamps = time_travel_queries.incident_op_stamps(conn, incident_id)
    if not stamps:
        raise ValidationError(f"No incident with id {incident_id}.")
    walls = [HlcStamp.decode(s).wall_ms for s in stamps]
    return from_ms(min(walls)), from_ms(max(walls))


@contextmanager
def scratch_workspace(source: Workspace, ops: list[Op], at: datetime) -> Iterator[Workspace]:
    """An in-memory workspace holding only ``ops``, its clock pinned at ``at``."""
    engine = _memory_engine()
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            oplog.write_meta(conn, "node_id", source.node_id)
            for op in ops:
                oplog.store(conn, op)
                oplog.apply(conn, op)
        yield Workspace(
            engine, source.data_dir, author=source.author, clock=FakeClock(at), zone=source.zone
        )
    finally:
        engine.dispose()


def state_at(
    workspace: Workspace,
    incident_key: str,
    at: datetime,
    *,
    hours: BusinessHours,
    due_soon: timedelta = timedelta(minutes=5),
) -> StateAt:
    """The incident named ``incident_key`` (id, reference or prefix) as it stood at ``at``.

    Raises:
        ValidationError: no such incident, or it had not been declared yet at ``at``.
    """
    incident = IncidentService(workspace).resolve(incident_key)
    ops = ops_until(workspace, incident.id, at)
    if not any(op.entity == Entity.INCIDENT and op.field == Field.CREATE for op in ops):
        raise ValidationError(
            f"{incident.ref} was not declared yet at {iso(at)} "
            f"(declared {iso(incident.declared_at)})."
        )
    with scratch_workspace(workspace, ops, at) as past:
        return read_state(past, incident.id, at, hours=hours, due_soon=due_soon, ops=len(ops))


def read_state(
    workspace: Workspace,
    incident_id: str,
    at: datetime,
    *,
    hours: BusinessHours,
    due_soon: timedelta = timedelta(minutes=5),
    ops: int = 0,
) -> StateAt:
    """What the normal services show of an incident now, with deadlines computed at ``at``."""
    deadlines = DeadlineService(workspace, hours=hours, due_soon=due_soon)
    with workspace.read() as conn:  # the scratch log holds the procedure register up to ``at``
        procedures = procedure_versions(conn, incident_id)
    return StateAt(
        at=at,
        incident=IncidentService(workspace).get(incident_id),
        roster=RosterService(workspace).roster(incident_id),
        deadlines=deadlines.deadlines(incident_id, now=at),
        timeline=IncidentService(workspace).timeline(incident_id),
        impact=ImpactService(workspace).series(incident_id),
        ops=ops,
        procedures=procedures,
    )


def _memory_engine() -> Engine:
    # One shared connection: every checkout sees the same in-memory database.
    return create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
