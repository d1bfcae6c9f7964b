"""What one push, one pull and one sync did: the results the CLI prints, the live loop
reports and the window shows (kept apart from the engine that produces them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commander.core.records_json import JsonRecord, json_field
from commander.sync import checks, local
from commander.sync.relay import RelayResult


@dataclass
class PushResult(JsonRecord):
    accepted: int = 0
    skipped: int = 0
    batches: int = 0
    offset_ms: int | None = field(default=None, metadata=json_field(name="clock_offset_ms"))
    resent: int = 0  # ops the server had lost and got again
    refused: str | None = None  # the server's one-sentence reason, when it refused a batch
    relay: RelayResult = field(default_factory=RelayResult)  # other nodes' ops carried


@dataclass
class PullResult:
    applied: int = 0
    duplicates: int = 0
    parked: int = 0
    restamped: int = 0
    adopted: bool = False
    batches: int = 0
    incident_ids: set[str] = field(default_factory=set)
    entry_ids: set[str] = field(default_factory=set)
    conflict_ids: dict[str, str] = field(default_factory=dict)  # entry id -> incident id
    clamped_nodes: dict[str, str] = field(default_factory=dict)
    quarantined: list[checks.Quarantined] = field(default_factory=list)

    def add(self, batch: local.PullApplied) -> None:
        self.applied += batch.applied
        self.duplicates += batch.duplicates
        self.parked += batch.parked
        self.restamped += batch.restamped
        self.adopted = self.adopted or batch.adopted
        self.batches += 1
        self.incident_ids |= batch.incident_ids
        self.entry_ids |= batch.entry_ids
        self.conflict_ids.update(batch.conflict_ids)
        self.clamped_nodes.update(batch.clamped_nodes)
        self.quarantined.extend(batch.quarantined)

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.restamped or self.parked or self.quarantined)

    # Hand-written: renames, a count of conflicts, keys in another order than the fields.
    def to_json(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "already_present": self.duplicates,
            "parked": self.parked,
            "restamped": self.restamped,
            "conflicts": len(self.conflict_ids),
            "quarantined": [problem.to_json() for problem in self.quarantined],
        }


@dataclass
class SyncResult(JsonRecord):
    pushed: PushResult
    pulled: PullResult
    pending: int
    warnings: list[str] = field(default_factory=list)
