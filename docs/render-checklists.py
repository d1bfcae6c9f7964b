"""Render the user guide's Checklists and Runbook screenshots from the demo incident (offscreen).

    PYTHONPATH=. .venv/bin/python docs/render-checklists.py

A throwaway workspace: the demo incident put back in containment (so the recovery commands are
the current phase), with the steps the demo's story did ticked and two placeholders given.
The clock is fixed so the images are reproducible.
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
from commander.services.checklists import ChecklistService
from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService
from commander.services.workspace import Workspace

OUT = Path(__file__).parent / "screenshots"
DONE = (
    "initial.acknowledge",
    "initial.severity",
    "initial.team",
    "initial.record",
    "initial.investigate",
    "health.pods",
    "health.nodes",
    "cert.certificates",
    "cert.s-client",
    "cert.partner-mtls",
    "net.partner-head",
)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    prepare_application(app)  # type: ignore[arg-type]
    clock = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder), author="demo", clock=clock, zone=UTC)
        incident = create_demo(ws).incident
        IncidentService(ws).set_field(incident.id, "status", "identified")
        IncidentService(ws).set_field(incident.id, "phase", "containment")
        checklists, runbooks = ChecklistService(ws), RunbookService(ws)
        for step in DONE:
            clock.advance(60)
            checklists.tick(incident.id, step)
        runbooks.set_value(incident.id, "namespace", "customer-api")
        runbooks.set_value(incident.id, "customer-api", "api.example.com")
        runbooks.set_value(incident.id, "hostname", "api.example.com")
        runbooks.set_value(incident.id, "partner-endpoint", "partner.example.net/health")
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        window = build_main_window(ws, settings)
        window.poll_timer.stop()
        window.resize(1366, 820)
        window.show()
        window.select_incident(incident.id)
        feature = window.checklists
        window.side_tabs.setCurrentWidget(feature.checklists_panel)
        panel = feature.checklists_panel
        panel.tree.expand(panel.model.phase_index(window.current_incident().phase).parent())
        app.processEvents()
        for name, widget in (("checklists-tab", window),):
            path = OUT / f"{name}.png"
            widget.grab().save(str(path))
            print(path)
        window.side_tabs.setCurrentWidget(feature.runbook_panel)
        app.processEvents()
        path = OUT / "runbook-tab.png"
        window.grab().save(str(path))
        print(path)
        window.close()
        ws.close()


if __name__ == "__main__":
    main()
