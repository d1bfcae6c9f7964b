"""Memory of the war-room display over a simulated day of updates.

Run: ``.venv/bin/python benchmarks/display.py [--hours 24] [--step 60]`` (about 5 min).

A 1920x1080 display follows a workspace with three active incidents (rotating every 20 s of
simulated time) while, every ``step`` simulated seconds, a timeline entry is logged and two
impact samples are recorded on the shown incidents, and every two hours a severity changes.
The clock is a ``FakeClock``; each step runs the display's own poll and tick paths and lets Qt
process events (layout and paint included), as the timers would. RSS and tracemalloc's
traced Python memory are printed at the start (after one simulated hour of warm-up), at the
half-way point and at the end: a display that runs for days must not grow.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import os
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from commander.core.clock import FakeClock
from commander.core.impact import Metric
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.display.launch import build_display
from commander.ui.panels.charts_panel import import_charts


def rss_mb() -> float:
    """Resident set size now (not the peak), from /proc; the peak where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _native(name: str) -> Any:
    """A C library already loaded in this process (SQLite, libc), or None where it is not."""
    found = ctypes.util.find_library(name)
    return ctypes.CDLL(found) if found else None


_SQLITE = _native("sqlite3")
_LIBC = _native("c")


def sqlite_mb() -> float:
    """Memory SQLite itself holds now (page caches of every pooled connection, statements)."""
    if _SQLITE is None:
        return float("nan")
    _SQLITE.sqlite3_memory_used.restype = ctypes.c_int64
    return _SQLITE.sqlite3_memory_used() / 2**20


def trimmed_rss_mb() -> float:
    """RSS after glibc hands free heap pages back: what is left is memory really in use."""
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)
    return rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--step", type=float, default=60.0, help="simulated seconds per step")
    parser.add_argument(
        "--no-impact", action="store_true", help="entries only (tells the chart's share apart)"
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    import_charts()
    clock = FakeClock(datetime(2026, 11, 30, 0, 0, tzinfo=UTC))
    folder = Path(tempfile.mkdtemp())
    workspace = Workspace.open(folder / "ws", author="bench", clock=clock, zone=UTC)
    incidents = IncidentService(workspace)
    impact = ImpactService(workspace)
    ids = [incidents.declare(title=f"Incident {n}", severity=f"P{n}").incident.id for n in range(3)]
    window = build_display(workspace, rotate_s=20)
    window.poll_timer.stop()  # the benchmark drives poll() and tick() on the simulated clock
    window.tick_timer.stop()
    window.resize(1920, 1080)
    window.show()
    app.processEvents()

    steps = int(args.hours * 3600 / args.step)
    warmup = int(3600 / args.step)
    checkpoints = {warmup: "start (after 1 h)", steps // 2: f"{args.hours / 2:g} h", steps: ""}
    checkpoints[steps] = f"{args.hours:g} h"
    severities = ("P0", "P1", "P2", "P3")
    written = 0
    results: list[tuple[str, float, float, float, float, int]] = []
    started = time.perf_counter()
    tracemalloc.start()
    for step in range(1, steps + 1):
        clock.advance(args.step)
        target = ids[step % len(ids)]
        incidents.log(target, f"Step {step}: checked dashboards, error rate steady", owner="bob")
        written += 1
        if not args.no_impact:
            impact.add(target, Metric.ERROR_RATE, 5 + step % 17)
            impact.add(ids[0], Metric.CUSTOMERS_PCT, 10 + step % 23)
            written += 2
        if step % int(7200 / args.step) == 0:
            incidents.set_field(ids[1], "severity", severities[(step // 240) % 4])
            written += 1
        window.poll()
        window.tick()
        app.processEvents()
        # A running event loop deletes what deleteLater() scheduled (a dropped chart's canvas);
        # processEvents() alone never does, which would look like a leak here.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if step in checkpoints:
            gc.collect()
            app.processEvents()
            traced, _peak = tracemalloc.get_traced_memory()
            rss = rss_mb()
            results.append(
                (checkpoints[step], rss, trimmed_rss_mb(), sqlite_mb(), traced / 2**20, written)
            )
    elapsed = time.perf_counter() - started
    window.close()
    workspace.close()

    print(f"{steps} steps of {args.step:g} s simulated ({args.hours:g} h) in {elapsed:.0f} s")
    print(f"{'when':>18} | {'RSS MiB':>8} | {'trimmed':>8} | {'SQLite':>7} | {'traced':>7} | ops")
    for label, rss, trimmed, sqlite, traced, ops in results:
        print(f"{label:>18} | {rss:8.1f} | {trimmed:8.1f} | {sqlite:7.2f} | {traced:7.2f} | {ops}")
    first, last = results[0], results[-1]
    names = ("RSS", "trimmed RSS", "SQLite", "traced Python")
    pairs = zip(names, first[1:5], last[1:5], strict=True)
    growth = ", ".join(f"{n} {b - a:+.2f}" for n, a, b in pairs)
    print(f"growth start -> end (MiB): {growth}")


if __name__ == "__main__":
    main()
