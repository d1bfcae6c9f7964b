"""Render the README's screenshot: the main window at 1280×800 over the demo incident.

    PYTHONPATH=. .venv/bin/python docs/render-readme.py

1280×800 is the default window size the layout is made for; the clock is fixed and the
workspace is a throwaway one, so the image is reproducible.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COMMANDER_NO_WELCOME", "1")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from commander.app import build_main_window, prepare_application
from commander.core.clock import FakeClock
from commander.services.demo.create import create_demo
from commander.services.workspace import Workspace
from commander.ui.features.charts.charts_panel import import_charts

OUT = Path(__file__).parent / "screenshots" / "main-1280x800.png"
SIZE = (1280, 800)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    import_charts()
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "ws", author="Dana Okafor", clock=clock, zone=UTC)
        create_demo(ws)
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        window = build_main_window(ws, settings)
        window.poll_timer.stop()
        window.path_label.setText("~/.local/share/Commander/workspace.sqlite3")  # not /tmp/…
        window.resize(*SIZE)
        window.show()
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(OUT))
        print(OUT)
        window.close()
        ws.close()


if __name__ == "__main__":
    main()
