"""Search everything: a keystroke's query and the index's cost on the append path.

Run: ``.venv/bin/python benchmarks/search.py [--sizes 10000,100000,1000000] [--cache DIR]``.
Workspaces are built through the op path (``workspace_builder``: one incident holding the
entries, plus 40 small past incidents) and kept in ``--cache`` (default: a folder in the temp
directory), so the 1M-entry one is built once. For each size it prints

- keystroke: every prefix of a few typed queries (3 characters and more: shorter words are
  not looked up) through ``SearchService.search``, what the search window runs on its worker
  per keystroke (match, join, filters, highlight, grouping), slowest and median (target
  <= 50 ms at 1M entries); baseline: a bare FTS5 query of the same text on the same table
  (``SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT 201``);
- results shown: the GUI thread's share per query (the results model filled with the search
  window's 100 matches, the tree expanded and repainted), beside the same rows put in a
  plain ``QStandardItemModel`` (text only) shown in the same view;
- append: ``IncidentService.log`` (the quick-entry write) p50/p99 on a copy of the workspace
  with the index and on a copy whose index and triggers were dropped, interleaved.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from workspace_builder import build

from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.search_text import match_query
from commander.services.incidents import IncidentService
from commander.services.search import SearchService
from commander.services.workspace import Workspace
from commander.storage import search_index
from commander.storage.database import DB_FILENAME

BARE = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT 201"
QUERIES = ("certificate renewal", "database failover pool", "rerouted istio mesh executive")
PAST_INCIDENTS = 40
APPENDS = 200


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _row(label: str, value: str, baseline: str, target: str = "") -> None:
    print(f"  {label:<30} {value:>22}   baseline {baseline:>22}   {target}")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _db_file(folder: Path) -> Path:
    return folder / DB_FILENAME


def cached_workspace(cache: Path, entries: int) -> Path:
    """The folder of a workspace with ``entries`` entries, built once and then reused."""
    folder = cache / f"search-{entries}"
    if (folder / "complete").exists() and _current(folder):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    workspace, _ = build(folder, entries)
    service = IncidentService(workspace)
    for n in range(PAST_INCIDENTS):
        past = service.declare(
            title=f"Past incident {n}: partner endpoint timeout", severity="P2", services="api"
        )
        service.log(past.incident.id, "certificate renewal job restarted by hand")
    indexed = SearchService(workspace).catch_up()  # as sync does after a pull
    workspace.close()
    (folder / "complete").write_text("built\n")
    took = time.perf_counter() - started
    print(f"  (built {entries:,} entries in {took:.0f} s, {indexed:,} rows indexed)")
    return folder


def _current(folder: Path) -> bool:
    """Whether a cached workspace has the index as this version builds it."""
    db = sqlite3.connect(_db_file(folder))
    try:
        return bool(
            db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_stale'").fetchone()
        )
    finally:
        db.close()


def _prefixes(text: str) -> list[str]:
    out = []
    for end in range(1, len(text) + 1):
        prefix = text[:end]
        try:
            match_query(prefix)
        except ValidationError:
            continue  # nothing to look up yet: the window shows a hint, no query
        out.append(prefix)
    return out


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench_keystrokes(folder: Path) -> None:
    workspace = Workspace.open(folder, author="bench", zone=UTC)
    service = SearchService(workspace)
    bare = sqlite3.connect(_db_file(folder))
    ours: list[float] = []
    base: list[float] = []
    for query in QUERIES:
        for prefix in _prefixes(query):
            expression = match_query(prefix).expression
            base.append(_timed(lambda: bare.execute(BARE, (expression,)).fetchall()))  # noqa: B023
            ours.append(_timed(lambda: service.search(prefix)))  # noqa: B023
    bare.close()
    workspace.close()
    ratio = max(ours) / max(base)
    _row("keystroke, slowest", _ms(max(ours)), _ms(max(base)), f"x{ratio:.1f}   target <= 50 ms")
    ratio = statistics.median(ours) / statistics.median(base)
    _row(
        "keystroke, median",
        _ms(statistics.median(ours)),
        _ms(statistics.median(base)),
        f"x{ratio:.1f}   ({len(ours)} keystrokes)",
    )


def bench_results_shown(folder: Path) -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTreeView

    from commander.ui.common.highlight_delegate import HighlightDelegate
    from commander.ui.features.search.search_dialog import LIMIT
    from commander.ui.features.search.search_model import MARKED_ROLE, SearchResultsModel

    app = QApplication.instance() or QApplication([])
    workspace = Workspace.open(folder, author="bench", zone=UTC)
    results = SearchService(workspace).search("certificate", limit=LIMIT)
    workspace.close()
    view = QTreeView()
    view.resize(1280, 700)
    view.setUniformRowHeights(True)
    view.show()
    model = SearchResultsModel(UTC, view)
    view.setModel(model)
    view.setItemDelegateForColumn(2, HighlightDelegate(MARKED_ROLE, view))
    app.processEvents()

    def ours() -> None:
        model.set_results(None)
        model.set_results(results)
        view.expandAll()
        view.viewport().repaint()

    stock = QStandardItemModel()

    def standard() -> None:
        stock.clear()
        for group in results.groups:
            parent = QStandardItem(group.title)
            for hit in group.hits:
                parent.appendRow([QStandardItem(hit.label), QStandardItem(hit.marked.text)])
            stock.appendRow(parent)
        view.setModel(stock)
        view.expandAll()
        view.viewport().repaint()
        view.setModel(model)

    base = [_timed(standard) for _ in range(10)]
    view.setModel(model)
    mine = [_timed(ours) for _ in range(10)]
    view.close()
    _row(
        f"results shown ({results.hit_count} rows)",
        _ms(statistics.median(mine)),
        _ms(statistics.median(base)),
        f"x{statistics.median(mine) / statistics.median(base):.1f}   one frame: 16.7 ms",
    )


def bench_append(folder: Path, tmp: Path) -> None:
    copies = []
    for name in ("indexed", "bare"):
        target = tmp / name
        shutil.copytree(folder, target)
        copies.append(target)
    db = sqlite3.connect(_db_file(copies[1]), isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    search_index.uninstall(db)
    db.execute("COMMIT")
    db.close()
    clock = FakeClock(datetime.now(UTC) + timedelta(days=1))  # real clock: after the built entries
    spaces = [Workspace.open(c, author="bench", clock=clock, zone=UTC) for c in copies]
    services = [IncidentService(ws) for ws in spaces]
    target_ids = [s.list()[0].id for s in services]
    times: list[list[float]] = [[], []]
    for n in range(APPENDS):
        for side in (n % 2, 1 - n % 2):  # interleaved, each side first half of the time
            clock.advance(1)
            text = f"benchmark entry {n}: certificate renewal checked @alice"
            service, incident_id = services[side], target_ids[side]
            times[side].append(_timed(lambda: service.log(incident_id, text)))  # noqa: B023
    for ws in spaces:
        ws.close()
    indexed, bare = times
    for q, name in ((0.5, "p50"), (0.99, "p99")):
        ratio = _p(indexed, q) / _p(bare, q)
        _row(
            f"append one entry, {name}",
            _ms(_p(indexed, q)),
            _ms(_p(bare, q)) + " no index",
            f"x{ratio:.2f}",
        )
    for copy in copies:
        shutil.rmtree(copy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "commander-bench"
    )
    parser.add_argument("--no-gui", action="store_true", help="leave out the results-shown row")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.cache.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        print(f"{size:,} entries")
        folder = cached_workspace(args.cache, size)
        bench_keystrokes(folder)
        if not args.no_gui:
            bench_results_shown(folder)
        with tempfile.TemporaryDirectory(prefix="commander-search-", dir=args.cache) as tmp:
            bench_append(folder, Path(tmp))


if __name__ == "__main__":
    main()
