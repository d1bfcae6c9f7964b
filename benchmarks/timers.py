"""Cost of ticking deadlines: 10 open incidents, each deadline recomputed and repainted per second.

Run: ``.venv/bin/python benchmarks/timers.py``. Prints the CPU time one minute of ticking costs
(target < 2% of one core, i.e. < 1.2 s of CPU per minute), beside a baseline measured in the
same run: the same number of plain ``QLabel``s getting a new text every second, the cheapest
ticking display there is. Then checks drift: after an hour of ticks the displayed countdown
still equals ``due - now`` to the second.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QTableView, QWidget

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.core.deadlines import format_countdown
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.features.deadlines.deadline_model import COL_LEFT, DeadlineModel

INCIDENTS = 10
TICKS = 60  # one minute


def _cpu_per_minute(tick, app: QApplication) -> float:  # type: ignore[no-untyped-def]
    started = time.process_time()
    for _ in range(TICKS):
        tick()
        app.processEvents()  # the repaint is part of the cost
    return time.process_time() - started


def main() -> None:
    app = QApplication([])
    clock = FakeClock(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    workspace = Workspace.open(Path(tempfile.mkdtemp()) / "ws", author="bench", clock=clock)
    incidents = IncidentService(workspace)
    deadlines = DeadlineService(workspace, hours=BusinessHours(zone=UTC))
    ids = [
        incidents.declare(title=f"Incident {n}", severity=f"P{n % 4}").incident.id
        for n in range(INCIDENTS)
    ]
    board = QWidget()
    grid = QGridLayout(board)
    models = []
    for n, incident_id in enumerate(ids):
        model = DeadlineModel(deadlines, UTC, board)
        model.set_facts(deadlines.facts(incident_id), clock.now())
        view = QTableView(board)
        view.setModel(model)
        grid.addWidget(view, n // 5, n % 5)
        models.append(model)
    timers = sum(m.rowCount() for m in models)
    board.resize(1800, 900)
    board.show()
    app.processEvents()

    def tick_ours() -> None:
        clock.advance(1)
        for model in models:
            model.tick(clock.now())

    ours = _cpu_per_minute(tick_ours, app)
    board.hide()

    labels_board = QWidget()
    labels_grid = QGridLayout(labels_board)
    labels = [QLabel(labels_board) for _ in range(timers)]
    for n, label in enumerate(labels):
        labels_grid.addWidget(label, n // 8, n % 8)
    labels_board.resize(1800, 900)
    labels_board.show()
    app.processEvents()
    due = clock.now() + timedelta(hours=2)

    def tick_labels() -> None:
        clock.advance(1)
        text = format_countdown(due - clock.now())
        for label in labels:
            label.setText(text)

    baseline = _cpu_per_minute(tick_labels, app)
    labels_board.hide()

    print(f"{timers} timers across {INCIDENTS} incidents, {TICKS} ticks (one minute):")
    print(
        f"  CPU per minute of ticking  {ours:.3f} s = {ours / 60 * 100:.2f}% of one core"
        f"   baseline (QLabels) {baseline:.3f} s = {baseline / 60 * 100:.2f}%   target < 2%"
    )

    model = models[0]
    row = model.row_of("internal_update")
    for _ in range(3600):  # an hour of one-second ticks
        clock.advance(1)
        model.tick(clock.now())
    deadline = model.deadline_at(row)
    shown = model.index(row, COL_LEFT).data()
    expected = format_countdown(deadline.due - clock.now()) if deadline.due else ""
    verdict = "no drift" if shown == expected else f"DRIFT: shows {shown}, expected {expected}"
    print(f"  after an hour: countdown shows {shown!r}, due - now is {expected!r}: {verdict}")
    workspace.close()


if __name__ == "__main__":
    main()
