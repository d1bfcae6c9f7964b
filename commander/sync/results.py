"""What one push, one pull and one sync did: the results the CLI prints, the live loop
reports and the window shows (kept apart from the engine that produces them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from commander.core.records_json import JsonRecord, json_computed, json_field
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
class PullResult(JsonRecord):
    applied: int = 0
    duplicates: int = field(default=0, metadata=json_field(name="already_present"))
    parked: int = 0
    restamped: int = 0
    adopted: bool = field(default=False, metadata=json_field(omit=True))
    batches: int = field(default=0, metadata=json_field(omit=True))
    incident_ids: set[str] = field(default_factory=set, metadata=json_field(omit=True))
    entry_ids: set[str] = field(default_factory=set, metadata=json_field(omit=True))
    # entry id -> incident id
    conflict_ids: dict[str, str] = field(default_factory=dict, metadata=json_field(omit=True))
    clamped_nodes: dict[str, str] = field(default_factory=dict, metadata=json_field(omit=True))
    quarantined: list[checks.Quarantined] = field(default_factory=list)

    JSON_COMPUTED = (json_computed("conflicts", before="quarantined"),)

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

    @property
    def conflicts(self) -> int:
        return len(self.conflict_ids)


@dataclass
class SyncResult(JsonRecord):
    pushed: PushResult
    pulled: PullResult
    pending: int
    warnings: list[str] = field(default_factory=list)
