"""Cold start and one CLI command at 1k to 1M entries, each figure beside a same-run baseline.

Run: ``.venv/bin/python benchmarks/startup.py [--sizes 1k,10k,100k,1M] [--runs N]``. Each
size's workspace (one P1 incident holding that many timeline entries, built through the op
path by ``workspace_builder``) is cached under the temp dir, keyed by size and migrations, so
a second run starts at once (1M entries take a few minutes to build). For every size, N paired
runs in alternating order (ours first, then the baseline first) of new processes:

- first paint: ``commander gui`` until its main window has painted; baseline: a bare
  ``QMainWindow`` after ``import sqlalchemy`` (the same Qt, the same ORM) until it painted;
- usable: ``commander gui`` until the timeline holds the incident's rows (nothing left loading)
  and they are painted; baseline: the same bare process, after its paint, fetching the
  newest screenful of the same incident's rows with raw ``sqlite3`` into a ``QTableView`` and
  painting them (what showing a timeline needs at the least, at any size);
- CLI: ``commander show INC`` (CPU time and wall, stdout to /dev/null); baselines:
  ``python -c "import sqlalchemy"`` (the fixed cost) and, like-for-like, that plus a raw
  ``sqlite3`` fetch of the same incident's rows printed one line each.

Wall times run from launching the process; CPU times are the process's own (all threads),
the steadier figure on a loaded machine.
Medians are printed with the ratio to the baseline. Bytecode is compiled by a warm-up run of
each first; the header says whether ``PYTHONDONTWRITEBYTECODE`` is set (with it, an editable
install recompiles every module on every start, and the figures say little about a wheel).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

SCREEN = 400  # rows the baseline fetches: the timeline's first screen (timeline_panel.py)
TIMEOUT_S = 600

_PROBE = """
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer

def report(marks):
    try:
        print(json.dumps(marks), flush=True)
    finally:
        os._exit(0)  # teardown is not part of start-up (and a closed pipe must not keep it)

class Probe(QObject):
    # The window's first UpdateRequest is its first paint; it is done when the loop turns.
    def __init__(self, window, after):
        super().__init__(window)
        self.window, self.after, self.marks = window, after, {}
        window.installEventFilter(self)

    def eventFilter(self, watched, event):
        if watched is self.window and event.type() == QEvent.Type.UpdateRequest:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.painted)
        return False

    def painted(self):
        self.marks["paint"] = (time.time(), time.process_time())
        self.after(self)

    def mark(self, name):
        self.marks[name] = (time.time(), time.process_time())
"""

BASE_GUI = (
    _PROBE
    + """
import sqlite3
from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
import sqlalchemy

class Rows(QAbstractTableModel):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows
    def rowCount(self, parent=None):
        return len(self.rows)
    def columnCount(self, parent=None):
        return 4
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        return None

def fill(probe):
    conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT occurred_at, event, action, owner FROM entry WHERE incident_id = ?"
        " ORDER BY occurred_at DESC LIMIT ?", (sys.argv[2], int(sys.argv[3]))
    ).fetchall()
    rows.reverse()
    view = QTableView()
    view.setModel(Rows(rows))
    probe.window.setCentralWidget(view)
    view.scrollToBottom()
    QApplication.processEvents()
    view.viewport().repaint()
    probe.mark("usable")
    report(probe.marks)

app = QApplication([])
win = QMainWindow()
win.resize(1280, 800)
probe = Probe(win, lambda p: QTimer.singleShot(0, lambda: fill(p)))
win.show()
app.exec()
"""
)

OURS_GUI = (
    _PROBE
    + """
import importlib.abc, importlib.machinery

def wait_usable(probe):
    panel = probe.window.timeline_panel
    def poll():
        if panel.model.rowCount() and not getattr(panel, "is_loading", lambda: False)():
            panel.table.viewport().repaint()
            probe.mark("usable")
            report(probe.marks)
        QTimer.singleShot(2, poll)
    poll()

def patch(module):
    init = module.MainWindow.__init__
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self._startup_probe = Probe(self, wait_usable)
    module.MainWindow.__init__ = __init__

class Hook(importlib.abc.MetaPathFinder):
    # Patches the window class as it is imported, so the start keeps its own import order.
    def find_spec(self, name, path, target=None):
        if name != "commander.ui.shell.main_window":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            patch(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Hook())
from commander.cli import main
sys.exit(main(["gui", "--data-dir", sys.argv[1], "--author", "bench"]))
"""
)

BASE_CLI = "import sqlalchemy"

BASE_CLI_ROWS = """
import sqlite3, sys
import sqlalchemy
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
out = sys.stdout.write
for when, owner, event, action in conn.execute(
    "SELECT occurred_at, owner, event, action FROM entry WHERE incident_id = ?"
    " ORDER BY occurred_at", (sys.argv[2],)
):
    out(f"{when}  {owner:<8} {event}  {action}\\n")
"""


# -- workspaces ------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def _schema_key() -> str:
    versions = ROOT / "commander" / "storage" / "migrations" / "versions"
    names = sorted(p.name for p in versions.glob("*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:10]


def workspace_for(cache: Path, entries: int) -> tuple[Path, str, str]:
    """The cached workspace of ``entries`` entries: its folder, incident id and reference."""
    folder = cache / f"{entries}-{_schema_key()}"
    meta = folder / "bench.json"
    if not meta.exists():
        from workspace_builder import build

        from commander.services.incidents import IncidentService

        shutil.rmtree(folder, ignore_errors=True)
        scratch = cache / f".building-{entries}-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        started = time.perf_counter()
        workspace, incident_id = build(scratch, entries)
        ref = IncidentService(workspace).get(incident_id).ref
        workspace.close()
        (scratch / "bench.json").write_text(json.dumps({"id": incident_id, "ref": ref}))
        scratch.rename(folder)
        print(f"  built {entries:,} entries in {time.perf_counter() - started:.0f} s ({folder})")
    data = json.loads(meta.read_text())
    return folder, data["id"], data["ref"]


# -- runs ------------------------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),  # fresh window settings every run
        XDG_RUNTIME_DIR=str(home / "run"),
        COMMANDER_NO_WELCOME="1",
    )
    (home / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
    return env


def _gui(script: str, args: list[str], env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Marks (seconds since launch, process CPU seconds) printed by a probed GUI process."""
    launched = time.time()  # real clock: the child stamps its marks with the same clock
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"a start-up run failed ({done.returncode}): {done.stderr[-2000:]}")
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: (wall - launched, cpu) for name, (wall, cpu) in marks.items()}


def _cli(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) of one process run to its end, stdout to /dev/null."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env, timeout=TIMEOUT_S)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _commander_argv() -> list[str]:
    script = Path(sys.executable).with_name("commander")
    return [str(script)] if script.exists() else [sys.executable, "-m", "commander"]


def _med(values: list[float]) -> float:
    return statistics.median(values)


def _row(label: str, ours: float, base: float, target: str, unit: str = "s") -> None:
    ratio = ours / base if base else float("inf")
    print(
        f"  {label:<30} {ours:7.3f} {unit}   baseline {base:7.3f} {unit}   "
        f"{ratio:5.2f}x   target {target}"
    )


def bench_size(entries: int, cache: Path, runs: int, home: Path) -> dict[str, float]:
    folder, incident_id, ref = workspace_for(cache, entries)
    db = str(folder / "workspace.sqlite3")
    env = _env(home)
    size_mb = os.path.getsize(db) / 1e6
    print(f"{entries:,} entries ({size_mb:,.0f} MB), {runs} paired runs, medians:")
    base_gui = [BASE_GUI, [db, incident_id, str(SCREEN)]]
    ours_gui = [OURS_GUI, [str(folder)]]
    show = [*_commander_argv(), "show", ref, "--data-dir", str(folder)]
    base_cli = [sys.executable, "-c", BASE_CLI]
    rows_cli = [sys.executable, "-c", BASE_CLI_ROWS, db, incident_id]
    # Warm-up: bytecode compiled, the file in the page cache, a first-start's settings written.
    _gui(*ours_gui, env)  # type: ignore[arg-type]
    _gui(*base_gui, env)  # type: ignore[arg-type]
    _cli(show, env)
    _cli(rows_cli, env)
    got: dict[str, list[float]] = {k: [] for k in ("bp", "bu", "op", "ou", "ow", "oc")}
    got.update({k: [] for k in ("cw", "cc", "rw", "rc", "upc", "ubc", "uuc", "buc")})
    for n in range(runs):
        pair = ("ours", "base") if n % 2 == 0 else ("base", "ours")
        for who in pair:
            if who == "base":
                marks = _gui(*base_gui, env)  # type: ignore[arg-type]
                got["bp"].append(marks["paint"][0])
                got["bu"].append(marks["usable"][0])
                got["ubc"].append(marks["paint"][1])
                got["buc"].append(marks["usable"][1])
                wall, cpu = _cli(base_cli, env)
                got["cw"].append(wall)
                got["cc"].append(cpu)
                wall, cpu = _cli(rows_cli, env)
                got["rw"].append(wall)
                got["rc"].append(cpu)
            else:
                marks = _gui(*ours_gui, env)  # type: ignore[arg-type]
                got["op"].append(marks["paint"][0])
                got["ou"].append(marks["usable"][0])
                got["upc"].append(marks["paint"][1])
                got["uuc"].append(marks["usable"][1])
                wall, cpu = _cli(show, env)
                got["ow"].append(wall)
                got["oc"].append(cpu)
    m = {k: _med(v) for k, v in got.items()}
    _row("first paint (wall)", m["op"], m["bp"], "<= 1.3x")
    _row("first paint (CPU)", m["upc"], m["ubc"], "")
    _row("usable: timeline filled (wall)", m["ou"], m["bu"], "<= 1.6x")
    _row("usable: timeline filled (CPU)", m["uuc"], m["buc"], "")
    print(f"  {'':<30} usable / bare first paint: {m['ou'] / m['bp']:.2f}x wall")
    _row("commander show (CPU)", m["oc"], m["cc"], "<= 1.3x (import sqlalchemy)")
    _row("commander show (wall)", m["ow"], m["cw"], "")
    _row("show vs rows printed (CPU)", m["oc"], m["rc"], "like-for-like")
    _row("show vs rows printed (wall)", m["ow"], m["rw"], "like-for-like")
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated, e.g. 1k,1M")
    parser.add_argument("--runs", type=int, default=5, help="paired runs per size")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "commander-startup-bench",
        help="where the built workspaces are kept between runs",
    )
    args = parser.parse_args()
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    args.cache.mkdir(parents=True, exist_ok=True)
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; PYTHONDONTWRITEBYTECODE is "
        + (
            f"SET ({flag!r}): an editable install recompiles every module on every start"
            if flag
            else "not set (bytecode compiled once, as a wheel or the bundle ships it)"
        )
    )
    home = Path(tempfile.mkdtemp(prefix="commander-startup-home-"))
    usable: dict[int, tuple[float, float]] = {}
    try:
        for entries in sizes:
            m = bench_size(entries, args.cache, args.runs, home)
            usable[entries] = (m["ou"], m["uuc"])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if len(usable) > 1:
        for n, what in ((0, "wall"), (1, "CPU")):
            low = min(v[n] for v in usable.values())
            high = max(v[n] for v in usable.values())
            print(
                f"usable ({what}) from {min(usable):,} to {max(usable):,} entries: "
                f"{low:.3f}-{high:.3f} s, spread {(high / low - 1) * 100:.0f} % "
                "(target within 10 %)"
            )


if __name__ == "__main__":
    main()
