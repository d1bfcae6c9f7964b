"""Render the war-room display screenshots (docs/display.md) from the demo incident (offscreen).

    PYTHONPATH=. .venv/bin/python docs/render-display.py

A throwaway workspace: the demo incident, plus a second active incident so the footer shows
the rotation; then two more for the compact grid (``display-grid-1920x1080.png``). The clock
is fixed so the images are reproducible.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from commander.app import prepare_application
from commander.core.clock import FakeClock
from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.features.charts.charts_panel import import_charts
from commander.ui.features.display.launch import build_display

SIZES = ((1920, 1080),)
GRID_EXTRA = (
    ("Certificate expires in 20 h on api.example.com", "P1"),
    ("Nightly export delayed", "P3"),
)
OUT = Path(__file__).parent / "screenshots"


def main(sizes: tuple[tuple[int, int], ...] = SIZES) -> None:
    app = QApplication.instance() or QApplication([])
    prepare_application(app)  # type: ignore[arg-type]
    import_charts()
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder), author="demo", clock=clock, zone=UTC)
        demo = create_demo(ws)
        IncidentService(ws).set_field(demo.incident.id, "status", "monitoring")
        IncidentService(ws).set_field(demo.incident.id, "phase", "resolution")
        IncidentService(ws).declare(title="Partner API errors", severity="P2")
        clock.advance(7 * 60)
        window = build_display(ws, incident=None, rotate_s=3600)
        for width, height in sizes:
            window.resize(width, height)
            window.show()
            app.processEvents()
            window.tick()
            app.processEvents()
            path = OUT / f"display-{width}x{height}.png"
            window.grab().save(str(path))
            print(path)
        window.close()
        for n, (title, severity) in enumerate(GRID_EXTRA):
            clock.advance(60 * (n + 1))
            IncidentService(ws).declare(title=title, severity=severity)
        clock.advance(4 * 60)
        grid = build_display(ws, incident=None, grid=True)
        grid.resize(*SIZES[0])
        grid.show()
        app.processEvents()
        grid.tick()
        app.processEvents()
        path = OUT / "display-grid-1920x1080.png"
        grid.grab().save(str(path))
        print(path)
        grid.close()
        ws.close()


if __name__ == "__main__":
    extra = tuple(tuple(int(n) for n in arg.split("x")) for arg in sys.argv[1:])
    main(extra or SIZES)  # type: ignore[arg-type]
