"""Memory of the war-room display over a simulated day of updates.

Run: ``.venv/bin/python benchmarks/display.py [--hours 24] [--step 60]`` (about 2 min).

A 1920x1080 display follows a workspace with three active incidents (rotating every 20 s of
simulated time) while, every ``step`` simulated seconds, a timeline entry is logged and two
impact samples are recorded on the shown incidents, and every two hours a severity changes.
The clock is a ``FakeClock``; each step runs the display's own poll and tick paths and lets Qt
process events (layout and paint included), as the timers would.

The first reading comes after a warm-up of one and a half chart windows plus an hour (the
display is then in its steady state: the chart holds a full window and has moved on a few
times, SQLite's page cache is full), then one every 6 simulated hours until ``--hours`` more
have passed: a display that runs for days must not grow. Columns: resident anonymous memory
(the heaps) and file-backed memory (library code paged in); anonymous memory after
``malloc_trim`` hands free pages back; what malloc has handed out and not had back (live
native allocations, SQLite's included); SQLite's own heap; and pymalloc's arenas (small
Python objects), or with ``--trace-python`` tracemalloc's traced Python memory instead.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import os
import resource
import sys
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
from commander.ui.features.charts.charts_panel import import_charts
from commander.ui.features.display import chart as display_chart
from commander.ui.features.display.launch import build_display


def rss_mb() -> tuple[float, float]:
    """Resident memory now (not the peak): (anonymous, file-backed) from /proc/self/status.

    File-backed pages are mostly shared-library code faulted in as new paths run: they level
    off. Anonymous pages are the heaps: those must not grow. Where /proc is missing, the peak.
    """
    try:
        status = Path("/proc/self/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in status if ":" in line)
        return int(fields["RssAnon"].split()[0]) / 1024, int(fields["RssFile"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0.0


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


def python_arenas_mb() -> float:
    """Memory in pymalloc's arenas: small Python objects live there, and an arena goes back to
    the system only when every object in it is freed (tracemalloc counts the objects alone)."""
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
            if _LIBC is not None:
                _LIBC.fflush(None)  # C's stderr may be buffered once Qt has written to it
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        for line in out:
            if "arenas * " in line and "bytes/arena" in line:
                return int(line.split("=")[1].replace(",", "")) / 2**20
    return float("nan")


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def malloc_in_use_mb() -> float:
    """Bytes glibc's malloc has handed out and not had back, in every arena and mmap: live
    native allocations, apart from fragmentation (which ``trimmed_anon_mb`` includes)."""
    if _LIBC is None or not hasattr(_LIBC, "mallinfo2"):
        return float("nan")
    _LIBC.mallinfo2.restype = _MallInfo2
    info = _LIBC.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


def trimmed_anon_mb() -> float:
    """Anonymous RSS after glibc hands free heap pages back: memory really in use."""
    if _LIBC is not None and hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)
    return rss_mb()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--step", type=float, default=60.0, help="simulated seconds per step")
    parser.add_argument(
        "--no-impact", action="store_true", help="entries only (tells the chart's share apart)"
    )
    parser.add_argument(
        "--samples-shown",
        type=int,
        default=None,
        help="the chart's cap per metric (default: the display's); small caps rebuild often",
    )
    parser.add_argument(
        "--trace-python",
        action="store_true",
        help="trace Python objects with tracemalloc (hides pymalloc's arena figure)",
    )
    args = parser.parse_args()
    if args.samples_shown:
        display_chart.SAMPLES_SHOWN = args.samples_shown
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

    # steady state: the chart's window filled and moved on a few times, SQLite's cache full
    warmup_h = window.chart_hours * 1.5 + 1
    warmup = int(warmup_h * 3600 / args.step)
    steps = warmup + int(args.hours * 3600 / args.step)
    every = int(6 * 3600 / args.step)  # a reading every 6 simulated hours shows the trend
    checkpoints = {
        n: f"+{(n - warmup) * args.step / 3600:g} h" for n in range(warmup, steps + 1, every)
    }
    checkpoints[warmup] = f"start (after {warmup_h:g} h)"
    checkpoints[steps] = f"+{args.hours:g} h"
    severities = ("P0", "P1", "P2", "P3")
    written = 0
    results: list[tuple[str, float, float, float, float, float, float]] = []
    started = time.perf_counter()
    if args.trace_python:
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
            python = (
                tracemalloc.get_traced_memory()[0] / 2**20
                if args.trace_python
                else python_arenas_mb()
            )
            anon, files = rss_mb()
            results.append(
                (
                    checkpoints[step],
                    anon,
                    files,
                    trimmed_anon_mb(),
                    malloc_in_use_mb(),
                    sqlite_mb(),
                    python,
                )
            )
    elapsed = time.perf_counter() - started
    window.close()
    workspace.close()

    simulated = steps * args.step / 3600
    print(f"{steps} steps of {args.step:g} s simulated ({simulated:g} h) in {elapsed:.0f} s")
    python_name = "traced Python" if args.trace_python else "pymalloc"
    names = ("RSS anon", "RSS file", "anon trimmed", "malloc live", "SQLite", python_name)
    print(f"{'MiB':>18} | " + " | ".join(f"{n:>13}" for n in names))
    for label, *values in results:
        print(f"{label:>18} | " + " | ".join(f"{v:13.2f}" for v in values))
    first, last = results[0], results[-1]
    pairs = zip(names, first[1:], last[1:], strict=True)
    growth = ", ".join(f"{n} {b - a:+.2f}" for n, a, b in pairs)
    print(f"growth start -> end (MiB): {growth}; {written} ops written")


if __name__ == "__main__":
    main()
