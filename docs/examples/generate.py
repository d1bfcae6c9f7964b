"""Regenerate the example reports in this folder: the demo incident in every format.

    QT_QPA_PLATFORM=offscreen python docs/examples/generate.py

The demo story (resolved, with its drafted review and action items) is told into a scratch
workspace on a fixed clock, then exported exactly as ``commander export`` does.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.services.deadlines import DeadlineService
from commander.services.demo.create import create_demo
from commander.services.report import ReportService
from commander.services.workspace import Workspace
from commander.ui.features.reports.report_pdf import write_pdf

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 28, 13, 0, tzinfo=UTC)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        ws = Workspace.open(Path(scratch), author="Dana Okafor", clock=FakeClock(NOW), zone=UTC)
        try:
            incident_id = create_demo(ws).incident.id  # with its drafted review
            service = ReportService(ws, DeadlineService(ws, hours=BusinessHours(zone=UTC)))
            for fmt, name in (
                ("md", "demo-report.md"),
                ("html", "demo-report.html"),
                ("pdf", "demo-report.pdf"),
                ("json", "demo-incident.json"),
                ("ics214", "demo-ics214.csv"),
            ):
                result = service.export(incident_id, fmt, HERE / name, pdf_writer=write_pdf)
                for path in result.files:
                    print(path.relative_to(HERE.parents[1]))
        finally:
            ws.close()


if __name__ == "__main__":
    main()
