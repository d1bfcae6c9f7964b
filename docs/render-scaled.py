"""Render the main window at 200% text scaling, light and dark, for the accessibility check.

    PYTHONPATH=. .venv/bin/python docs/render-scaled.py

The application font is doubled (what a "large text" setting does; the themes' style sheets
size text relative to it), the window fills a full-HD screen, and the demo incident is open
with the clock fixed, so the images are reproducible. Clipped text shows up here first.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from commander.app import build_main_window, prepare_application
from commander.core.clock import FakeClock
from commander.services.demo.create import create_demo
from commander.services.workspace import Workspace
from commander.ui.features.charts.charts_panel import import_charts
from commander.ui.shell.preferences import THEME_KEY

OUT = Path(__file__).parent / "screenshots"
SIZE = (1920, 1080)
SCALE = 2.0


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * SCALE)
    app.setFont(font)
    import_charts()
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder) / "ws", author="Dana Okafor", clock=clock, zone=UTC)
        create_demo(ws)
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        for theme in ("light", "dark"):
            settings.setValue(THEME_KEY, theme)  # the window applies it, as for a user
            window = build_main_window(ws, settings)
            window.poll_timer.stop()
            window.path_label.setText("~/.local/share/Commander/workspace.sqlite3")  # not /tmp/…
            window.resize(*SIZE)
            window.show()
            for _ in range(5):
                app.processEvents()
            path = OUT / f"main-window-200pct-{theme}.png"
            window.grab().save(str(path))
            print(path)
            window.close()
            window.deleteLater()
            app.processEvents()
        ws.close()


if __name__ == "__main__":
    main()
