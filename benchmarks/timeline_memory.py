"""Memory the timeline model takes per entry, 1k to 1M entries, beside the tuples it replaced.

Run: ``.venv/bin/python benchmarks/timeline_memory.py [--sizes 1k,10k,100k,1M] [--cache DIR]``.

- bytes per entry (``tracemalloc``): the model loaded the way the panel loads it (first
  screen, then the rest page by page into a packed store); baseline, same entries, same run:
  what the model held before, one ``TimelineEntry`` tuple per entry with its strings, a
  haystack string, the id set and the lists of rows shown;
- resident memory (RSS) of a new process holding the loaded model; baseline: the same process
  (Qt, the workspace open, the model empty) without loading the timeline.
Goal (issue 19): <= 300 B per entry; 1M entries under 400 MB RSS.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from timeline_load import DEFAULT_CACHE, SIZES, parse_sizes, workspace

CHILD = """
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, sys.argv[3])
from timeline_load import workspace
from PySide6.QtWidgets import QApplication
from commander.services.incidents import IncidentService
from commander.ui.features.timeline.timeline_model import TimelineModel
from commander.ui.features.timeline.timeline_store import load_store
app = QApplication([])
ws, incident_id = workspace(int(sys.argv[1]), __import__("pathlib").Path(sys.argv[2]))
model = TimelineModel(ws.zone)
if sys.argv[4] == "load":
    model.set_entries(IncidentService(ws).timeline(incident_id, last=400))
    model.add_older(load_store(IncidentService(ws), incident_id, before=model.first_key()))
status = open("/proc/self/status").read()
print(int(status.split("VmRSS:")[1].split()[0]) * 1024, model.total_count())
"""


def rss(entries: int, cache: Path, what: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(entries), str(cache), str(Path(__file__).parent), what],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


def traced(build) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    held = build()
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used, held


def bench(entries: int, cache: Path) -> None:
    from commander.services.incidents import IncidentService
    from commander.ui.features.timeline.timeline_model import TimelineModel, haystack
    from commander.ui.features.timeline.timeline_store import load_store

    ws, incident_id = workspace(entries, cache)
    service = IncidentService(ws)

    def ours() -> TimelineModel:
        model = TimelineModel(ws.zone)
        model.set_entries(service.timeline(incident_id, last=400))
        model.add_older(load_store(service, incident_id, before=model.first_key()))
        return model

    def tuples() -> tuple[object, ...]:
        rows = service.timeline(incident_id)
        hay = [haystack(e) for e in rows]
        return rows, hay, {e.id for e in rows}, list(rows), list(hay)

    mine, model = traced(ours)
    assert model.total_count() == entries  # type: ignore[attr-defined]
    del model
    old, held = traced(tuples)
    del held
    gc.collect()
    ws.close()
    print(
        f"{entries:>9,}  model {mine / entries:7.0f} B/entry   previous tuples "
        f"{old / entries:7.0f} B/entry   ratio {mine / old:5.2f}x   goal <= 300 B: "
        f"{'met' if mine / entries <= 300 else 'missed'}",
        flush=True,
    )
    loaded, count = rss(entries, cache, "load")
    empty, _ = rss(entries, cache, "empty")
    assert count == entries
    goal = "" if entries != 1_000_000 else f"goal < 400 MB: {'met' if loaded < 400e6 else 'missed'}"
    print(
        f"{'':>9}  RSS with the model loaded {loaded / 1e6:6.0f} MB   baseline (same process, "
        f"nothing loaded) {empty / 1e6:6.0f} MB   ratio {loaded / empty:5.2f}x   "
        f"{(loaded - empty) / entries:5.0f} B/entry   {goal}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(SIZES))
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    for entries in args.sizes:
        bench(entries, args.cache)


if __name__ == "__main__":
    main()
