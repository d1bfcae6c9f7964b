"""Regenerate the main window's screenshots in ``docs/screenshots/``.

Run: ``.venv/bin/python benchmarks/screenshots.py [--out docs/screenshots]`` (a few seconds).

The window is shown at the two laptop sizes it is laid out for first (1280x800, 1366x768), in
the light and dark themes, over a fresh workspace holding the demo incident and a P0 declared
a few minutes earlier with its first roles assigned and an update queued — what a commander
sees on day one. The clock is fixed, so the pictures change only when the window does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COMMANDER_NO_WELCOME", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from commander.app import build_main_window
from commander.config import Identity, save_identity
from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.core.deadline_policy import DeadlineKind
from commander.services.deadlines import DeadlineService
from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.ui.common.themes import apply_theme
from commander.ui.shell.application import prepare_application

SIZES = ((1280, 800), (1366, 768))
THEMES = ("light", "dark")
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def build_workspace(data_dir: Path) -> tuple[Workspace, str]:
    """The demo incident, and a P0 declared eight minutes ago with its first minutes logged."""
    clock = FakeClock(NOW - timedelta(minutes=8))
    ws = Workspace.open(data_dir, author="dokafor", clock=clock, zone=UTC)
    save_identity(data_dir, Identity(name="Dana Okafor", handle="dokafor"))
    create_demo(ws)
    incidents = IncidentService(ws)
    declared = incidents.declare(
        title="Checkout API returns 503 for all EU customers",
        severity="P0",
        services="checkout-api, payments-gateway",
        impact="Every EU customer fails at checkout; orders are not taken.",
    )
    incident = declared.incident.id
    DeadlineService(ws, hours=BusinessHours(zone=UTC)).mark_met(
        incident, DeadlineKind.ESCALATION, how="Executives notified (ticked when declaring)"
    )
    roster = RosterService(ws)
    roster.assign(incident, "IC", "me")
    clock.advance(60)
    roster.assign(incident, "Technical Lead", "Priya Raman")
    for minutes, line in (
        (1, "Error rate on checkout-api at 100 % since 09:51 in eu-west-1 @priya"),
        (1, "Rolled back payments-gateway 4.12 to 4.11; no change in error rate @priya"),
        (2, "Database connection pool exhausted on checkout-db-eu-2 (max 200 of 200 in use)"),
        (1, "Paging the database on-call; status page set to 'Investigating' @dokafor"),
    ):
        clock.advance(minutes * 60)
        incidents.log_quick(incident, line)
    clock.set(NOW)
    return ws, incident


def shoot(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    prepare_application(app)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        ws, incident = build_workspace(Path(tmp) / "ws")
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        window = build_main_window(ws, settings)
        window.poll_timer.stop()
        window.show()
        window.select_incident(incident)
        for theme in THEMES:
            apply_theme(app, theme)
            for width, height in SIZES:
                window.resize(width, height)
                for _ in range(5):
                    app.processEvents()
                target = out / f"main-{width}x{height}-{theme}.png"
                window.grab().save(str(target))
                written.append(target)
        apply_theme(app, "light")
        window.resize(*SIZES[0])
        for tab in ("Runbook", "Charts"):  # the side tabs, at the smaller size
            tabs = window.side_tabs
            tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == tab))
            for _ in range(5):
                app.processEvents()
            if tab == "Charts":  # the preload runs on a worker: let it finish and draw
                window.tasks.wait()
                for _ in range(10):
                    app.processEvents()
            target = out / f"main-1280x800-light-{tab.lower()}.png"
            window.grab().save(str(target))
            written.append(target)
        tabs.setCurrentWidget(window.roster_panel)
        window.monitoring.dock.show()  # the alerts dock must not squeeze the deadlines
        for _ in range(10):
            app.processEvents()
        target = out / "main-1280x800-light-alerts.png"
        window.grab().save(str(target))
        written.append(target)
        window.close()
        ws.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
