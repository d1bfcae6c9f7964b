"""Runbook steps in the search index: what ticking a step and editing a checklist cost.

Run: ``.venv/bin/python benchmarks/search_runbook.py [--incidents 50,500]``. For each size a
workspace is built through the services (that many incidents, ten runbook steps ticked on
each) and copied; one copy keeps the search index, the other has its index and triggers
dropped. It prints, as ratios against the copy without the index, measured interleaved:

- tick: ``ChecklistService.tick`` of one runbook step (the tick, its timeline entry, and with
  the index the notes its triggers write), p50;
- edit + catch-up: renaming a runbook step (``ChecklistService.edit_step``), which notes every
  done tick of the workspace again, then ``SearchService.catch_up`` (what the next search or
  sync's catch-up does), against the same rename without the index.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from commander.core.clock import FakeClock
from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.search import SearchService
from commander.services.workspace import Workspace
from commander.storage import search_index
from commander.storage.database import DB_FILENAME

STEPS = (
    "health.pods",
    "health.nodes",
    "health.top-nodes",
    "cert.certificates",
    "cert.s-client",
    "db.ping",
    "db.pool-logs",
    "net.nslookup",
    "net.proxy-status",
    "recovery.pod-restart",
)
RENAMED = "recovery.cert-renewal"  # never ticked in the build: each rename is fresh work
TICKS = 40
EDITS = 10
START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _row(label: str, value: float, baseline: float) -> None:
    print(
        f"  {label:<34} {value * 1000:>9.2f} ms   baseline {baseline * 1000:>9.2f} ms no index"
        f"   x{value / baseline:.2f}"
    )


def _rename(checklists: ChecklistService, text: str, search: SearchService | None) -> None:
    checklists.edit_step(RENAMED, text=text)
    if search is not None:
        search.catch_up()


def build(folder: Path, incidents: int) -> None:
    clock = FakeClock(START)
    ws = Workspace.open(folder, author="bench", clock=clock, zone=UTC)
    service, checklists = IncidentService(ws), ChecklistService(ws)
    for n in range(incidents):
        clock.advance(60)
        incident_id = service.declare(title=f"Incident {n}", severity="P2").incident.id
        for step in STEPS:
            clock.advance(1)
            checklists.tick(incident_id, step)
    SearchService(ws).catch_up()
    ws.close()


def bench(folder: Path, tmp: Path, incidents: int) -> None:
    copies = [tmp / "indexed", tmp / "bare"]
    for copy in copies:
        shutil.copytree(folder, copy)
    db = sqlite3.connect(copies[1] / DB_FILENAME, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    search_index.uninstall(db)
    db.execute("COMMIT")
    db.close()
    clock = FakeClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    spaces = [Workspace.open(c, author="bench", clock=clock, zone=UTC) for c in copies]
    targets = []
    for ws in spaces:
        service = IncidentService(ws)
        targets.append((service, ChecklistService(ws), SearchService(ws)))
    ticks: list[list[float]] = [[], []]
    for n in range(TICKS):
        for side in (n % 2, 1 - n % 2):  # interleaved, each side first half of the time
            service, checklists, _ = targets[side]
            clock.advance(1)
            incident_id = service.declare(title=f"Tick {n}", severity="P3").incident.id
            ticks[side].append(_timed(lambda: checklists.tick(incident_id, RENAMED)))  # noqa: B023
    edits: list[list[float]] = [[], []]
    for n in range(EDITS):
        for side in (n % 2, 1 - n % 2):
            _, checklists, search = targets[side]
            text = f"Certificate renewal, take {n}"
            catch_up = search if side == 0 else None
            edits[side].append(_timed(partial(_rename, checklists, text, catch_up)))
    for ws in spaces:
        ws.close()
    done = incidents * len(STEPS) + TICKS
    _row("tick a runbook step, p50", statistics.median(ticks[0]), statistics.median(ticks[1]))
    _row(
        f"rename a step + catch-up ({done:,} ticks)",
        statistics.median(edits[0]),
        statistics.median(edits[1]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", default="50,500")
    args = parser.parse_args()
    for size in [int(s) for s in args.incidents.split(",") if s.strip()]:
        print(f"{size:,} incidents, {len(STEPS)} runbook steps ticked on each")
        with tempfile.TemporaryDirectory(prefix="commander-runbook-") as tmp:
            folder = Path(tmp) / "built"
            started = time.perf_counter()
            build(folder, size)
            print(f"  (built in {time.perf_counter() - started:.0f} s)")
            bench(folder, Path(tmp), size)


if __name__ == "__main__":
    main()
