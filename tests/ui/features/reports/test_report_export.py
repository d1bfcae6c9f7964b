"""The PDF report (Qt), and *Export report…* / *Import incident…* in the main window."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMessageBox

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.services.action_items import ActionItemService
from commander.services.deadlines import DeadlineService
from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.report import ReportService
from commander.services.review import ReviewService
from commander.services.workspace import Workspace
from commander.ui.features.reports.report_export import FILTERS
from commander.ui.features.reports.report_pdf import write_pdf
from commander.ui.shell.main_window import MainWindow


def _service(ws: Workspace) -> ReportService:
    return ReportService(ws, DeadlineService(ws, hours=BusinessHours(zone=ws.zone)))


@pytest.fixture
def demo(workspace: Workspace) -> str:
    incident_id = create_demo(workspace).incident.id
    review = ReviewService(workspace, hours=BusinessHours(zone=UTC))
    review.set_field(incident_id, "primary_cause", "cert-manager lost write access to DNS")
    ActionItemService(workspace).add_action_item(
        incident_id, "Alert 14 days before expiry", due=date(2026, 12, 12)
    )
    return incident_id


def _words(text: str) -> str:
    """Text without any white space (PDF extraction splits words by kerning) or ligatures."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


def test_pdf_is_paginated_with_summary_timeline_and_charts(workspace, demo, tmp_path, qapp):
    report = _service(workspace).build(demo)
    path = tmp_path / "report.pdf"
    pages = write_pdf(report, path)
    reader = PdfReader(path)
    assert len(reader.pages) == pages
    assert 5 <= pages <= 12  # summary, a 63-row timeline, review, team, deadlines, charts
    texts = [_words(page.extract_text()) for page in reader.pages]
    assert "IncidentSummary" in texts[0] and report.incident.ref in texts[0]
    assert "Timetoresolve" in texts[0]
    for n, text in enumerate(texts, start=1):
        assert f"Page{n}of{pages}" in text
    whole = " ".join(texts)
    for heading in ("Timeline", "Root Cause", "Resolution", "Action Items", "Deadlines"):
        assert _words(heading) in whole
    assert _words("cert-manager lost write access to DNS") in whole
    assert _words("Alert 14 days before expiry") in whole
    # Every timeline row is in the table: each entry's time (HH:MM) appears in order.
    timeline_pages = " ".join(t for t in texts if "Actiontaken" in t)
    assert _words(report.timeline[0].event)[:40] in timeline_pages
    assert _words(report.timeline[-1].event)[:40] in timeline_pages
    times = re.findall(r"\d\d:\d\d", timeline_pages)
    assert len(times) >= len(report.timeline)
    # The charts are embedded images on the last page.
    assert len(reader.pages[-1].images) == len(report.charts) == 2
    assert reader.metadata.title.startswith(f"Incident report {report.incident.ref}")


def test_export_action_writes_the_chosen_format_on_a_worker(
    qtbot, window: MainWindow, demo, tmp_path, monkeypatch
):
    window.refresh()
    window.select_incident(demo)
    target = tmp_path / "demo-report"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), FILTERS["html"])
    )
    with qtbot.waitSignal(window.reports.sig_exported, timeout=20000) as done:
        window.action_export_report.trigger()
        assert window.reports.busy and "Exporting" in window.statusBar().currentMessage()
    result = done.args[0]
    assert result.path == tmp_path / "demo-report.html" and result.path.exists()
    assert "<h2>Timeline</h2>" in result.path.read_text("utf-8")
    assert window.statusBar().currentMessage() == f"Report written to {result.path}"
    pdf = tmp_path / "demo.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), FILTERS["pdf"]))
    with qtbot.waitSignal(window.reports.sig_exported, timeout=30000):
        window.action_export_report.trigger()
    assert len(PdfReader(pdf).pages) >= 5


def test_export_failure_is_one_sentence(qtbot, window: MainWindow, demo, tmp_path, monkeypatch):
    window.refresh()
    window.select_incident(demo)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    missing = tmp_path / "no-such-folder" / "r.md"
    with qtbot.waitSignal(window.reports.sig_failed, timeout=10000):
        window.reports.export(window.current_incident(), str(missing), "md")
    assert shown == [f"The folder {missing.parent} does not exist."]
    assert not window.reports.busy


def test_import_action_adds_and_selects_the_incident(
    qtbot, window: MainWindow, tmp_path, monkeypatch
):
    source = Workspace.open(tmp_path / "elsewhere", author="zoe", clock=FakeClock(), zone=UTC)
    try:
        incident_id = create_demo(source).incident.id
        _service(source).export(incident_id, "json", tmp_path / "demo.json")
    finally:
        source.close()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "demo.json"), "")
    )
    with qtbot.waitSignal(window.reports.sig_imported, timeout=20000):
        window.action_import_incident.trigger()
    assert window.current_incident() is not None
    assert window.current_incident().id == incident_id
    assert "imported" in window.statusBar().currentMessage()
    assert window.timeline_model.rowCount() == len(
        IncidentService(window.reports._service.workspace).timeline(incident_id)
    )


def test_export_is_disabled_without_an_incident(window: MainWindow) -> None:
    assert not window.action_export_report.isEnabled()
    assert window.action_import_incident.isEnabled()


def test_pdf_shows_an_attached_image(workspace, demo, tmp_path, qapp):
    from pathlib import Path

    from commander.services.attachments import AttachmentService

    png = (Path(__file__).parents[3] / "fixtures" / "attachments" / "red-2x2.png").read_bytes()
    AttachmentService(workspace).attach(demo, png, "graph.png")
    report = _service(workspace).build(demo, charts=False)
    path = tmp_path / "report.pdf"
    write_pdf(report, path)
    reader = PdfReader(path)
    text = _words("".join(page.extract_text() for page in reader.pages))
    assert "Files" in text and "graph.png" in text
    assert sum(len(page.images) for page in reader.pages) >= 1
