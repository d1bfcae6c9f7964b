"""Build benchmark workspaces through the real op path (ops, chain, materialized rows)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commander.core.clock import FakeClock, iso
from commander.core.ids import new_id
from commander.core.ops import Entity, Field
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage.oplog import OpDraft

WORDS = [
    "api",
    "gateway",
    "pods",
    "restarted",
    "certificate",
    "renewal",
    "job",
    "partner",
    "endpoint",
    "timeout",
    "latency",
    "error",
    "rate",
    "database",
    "failover",
    "traffic",
    "rerouted",
    "istio",
    "mesh",
    "health",
    "check",
    "customer",
    "status",
    "page",
    "update",
    "acknowledged",
    "escalated",
    "executive",
    "mongo",
    "atlas",
    "connection",
    "pool",
]


def build(data_dir: Path, entries: int, *, batch: int = 5000) -> tuple[Workspace, str]:
    """A workspace with one P1 incident holding ``entries`` timeline entries; returns its id."""
    start = datetime.now(UTC) - timedelta(days=2)
    clock = FakeClock(start)
    workspace = Workspace.open(data_dir, author="bench", clock=clock, zone=UTC)
    service = IncidentService(workspace)
    incident = service.declare(title="Benchmark incident", severity="P1").incident
    rng = random.Random(7)
    step = timedelta(days=1) / max(entries, 1)
    made = 1
    while made < entries:
        drafts = []
        for _ in range(min(batch, entries - made)):
            when = start + step * made
            drafts.append(
                OpDraft(
                    incident.id,
                    Entity.ENTRY,
                    new_id(),
                    Field.CREATE,
                    {
                        "occurred_at": iso(when),
                        "event": " ".join(rng.choices(WORDS, k=rng.randint(4, 12))),
                        "action": " ".join(rng.choices(WORDS, k=rng.randint(0, 6))),
                        "owner": rng.choice(["alice", "bob", "carol", "dave", ""]),
                        "kind": "note",
                    },
                )
            )
            made += 1
        with workspace.write() as conn:
            workspace.append(conn, drafts)
    clock.set(datetime.now(UTC))
    return workspace, incident.id
