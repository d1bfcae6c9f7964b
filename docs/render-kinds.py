"""Render the screenshot of entry kinds, key events and the Questions tab at 1280×800.

    PYTHONPATH=. .venv/bin/python docs/render-kinds.py

The demo incident with a few typed kinds (a decision with who decided, questions, one of them
answered, a message) and two key events; the clock is fixed and the workspace a throwaway one,
so the image is reproducible.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COMMANDER_NO_WELCOME", "1")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from commander.app import build_main_window, prepare_application
from commander.core.clock import FakeClock
from commander.services.attachments import AttachmentService
from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.features.charts.charts_panel import import_charts

OUT = Path(__file__).parent / "screenshots" / "timeline-kinds-1280x800.png"
SIZE = (1280, 800)
LINES = (
    "o: p99 latency 4 s on api-gw, 5xx at 38 %",
    "? is the payments replica lagging",
    "d: @priya roll back api-gw to 1.42 @sam",
    "c: status page: investigating elevated errors",
    "who owns the card-token cache?",
    "a: rollback done, error rate falling",
)


def _graph_png() -> bytes:
    """A pasted screenshot of a latency graph: drawn here so the image is reproducible."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 2), dpi=100)
    axes = figure.add_subplot()
    minutes = list(range(40))
    latency = [
        180 + (3800 if 12 <= m < 26 else 0) - (26 <= m < 30) * (30 - m) * 600 for m in minutes
    ]
    axes.plot(minutes, latency, color="#3a5b5b")
    axes.set_title("api-gw p99 latency (ms)", fontsize=9)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    import_charts()
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "ws", author="Dana Okafor", clock=clock, zone=UTC)
        incident = create_demo(ws).incident
        incidents = IncidentService(ws)
        clock.set(max(e.occurred_at for e in incidents.timeline(incident.id)))
        logged = []
        for line in LINES:
            clock.advance(timedelta(minutes=2))
            logged.append(incidents.log_quick(incident.id, line)[0])
        clock.advance(timedelta(minutes=1))
        incidents.log(incident.id, "yes, 40 s behind the primary", answers=logged[1].id)
        incidents.mark_key(logged[2].id)
        incidents.mark_key(logged[5].id)
        clock.advance(timedelta(minutes=1))
        AttachmentService(ws).attach(
            incident.id, _graph_png(), "p99-latency.png", note="p99 latency around the rollback"
        )
        clock.advance(timedelta(minutes=2))
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        window = build_main_window(ws, settings)
        window.poll_timer.stop()
        window.path_label.setText("~/.local/share/Commander/workspace.sqlite3")  # not /tmp/…
        window.resize(*SIZE)
        window.show()
        window.startup.finish()
        window.side_tabs.setCurrentWidget(window.questions_panel)
        window.timeline_panel.select_entry(logged[2].id)
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(OUT))
        print(OUT)
        window.close()
        ws.close()


if __name__ == "__main__":
    main()
