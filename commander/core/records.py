"""Read-only records the services hand to the UI and CLI.

``TimelineEntry`` is a NamedTuple on purpose: a timeline of 100,000 entries is held in memory
as compact tuples, built straight from database rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from commander.core.clock import from_ms, iso
from commander.core.entry_kinds import recorded_at_ms
from commander.core.ops import WORKSPACE_SCOPE
from commander.core.policy import Phase, Severity, Status
from commander.core.records_json import JsonRecord


@dataclass(frozen=True)
class Incident(JsonRecord):
    id: str
    ref: str
    title: str
    severity: Severity
    status: Status
    phase: Phase
    services: tuple[str, ...]
    impact: str
    declared_at: datetime
    declared_by: str
    updated_at: datetime
    partners_affected: bool = False
    security_related: bool = False


class TimelineEntry(NamedTuple):
    """One row of the procedure's Timeline table (Time | Event | Action taken | Owner)."""

    id: str
    incident_id: str
    occurred_at_ms: int
    hlc: str
    kind: str  # an entry kind (core.entry_kinds): "system" logged by the app for a change
    event: str
    action: str
    owner: str
    author: str
    struck: int
    strike_reason: str
    amended_event: str | None
    amended_action: str | None
    # Who the entry is from when that is not its author: a decision's decider, a pasted
    # chat message's sender.
    attributed_to: str = ""
    answers: str = ""  # an answer: the id of the question entry it answers
    key_event: int = 0  # 1: marked as a key event

    @property
    def occurred_at(self) -> datetime:
        return from_ms(self.occurred_at_ms)

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """Timeline order, total on every replica: the id breaks the last ties."""
        return (self.occurred_at_ms, self.hlc, self.id)

    # Hand-written: a NamedTuple with computed times and 0/1 flags as booleans.
    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "occurred_at": iso(self.occurred_at),
            "event": self.event,
            "action": self.action,
            "owner": self.owner,
            "author": self.author,
            "kind": self.kind,
            "struck": bool(self.struck),
            "strike_reason": self.strike_reason or None,
            "amended_event": self.amended_event,
            "amended_action": self.amended_action,
            "recorded_at": iso(from_ms(recorded_at_ms(self.hlc))),
            "attributed_to": self.attributed_to or None,
            "answers": self.answers or None,
            "key_event": bool(self.key_event),
        }


@dataclass
class ChangeSet:
    """What a unit of work changed, so views refresh only that."""

    incident_ids: set[str] = field(default_factory=set)
    entry_ids: dict[str, set[str]] = field(default_factory=dict)
    records_changed: set[str] = field(default_factory=set)  # the incident record itself
    last_seq: int = 0
    # The local sequence numbers of the ops a write made: a window that applied its own
    # write from this set skips those ops when it polls for other writers.
    seqs: set[int] = field(default_factory=set)

    def add(self, incident_id: str, entity: str, entity_id: str) -> None:
        self.incident_ids.add(incident_id)
        if entity == "entry":
            self.entry_ids.setdefault(incident_id, set()).add(entity_id)
        else:
            self.records_changed.add(incident_id)

    def __bool__(self) -> bool:
        return bool(self.incident_ids)

    @classmethod
    def of(cls, ops: Iterable[Any], seqs: Iterable[int] = ()) -> ChangeSet:
        """What ``ops`` (appended ops, stored as ``seqs``) changed; workspace-wide ops
        concern no incident view."""
        changes = cls(seqs=set(seqs))
        changes.last_seq = max(changes.seqs, default=0)
        for op in ops:
            if op.incident_id != WORKSPACE_SCOPE:
                changes.add(op.incident_id, op.entity, op.entity_id)
        return changes
