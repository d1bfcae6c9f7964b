"""The incident report as a paginated PDF, drawn by Qt from the report's HTML.

``QTextDocument`` lays out the Qt flavour of the HTML (``render_html(for_qt=True)``) onto A4
pages and ``QPdfWriter`` writes them, with the charts as embedded images, a running header
from page two and "Page n of N" in every footer. It works headless: the CLI calls
``ensure_application`` first, which starts an offscreen ``QGuiApplication`` when none exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from commander.core.errors import ValidationError
from commander.reports.html import ACCENT, file_resource, qt_resource, render_html
from commander.reports.model import ReportData

RESOLUTION = 300  # dots per inch of the PDF's coordinate space
MARGIN_MM = 16
_application: QApplication | None = None


def ensure_application() -> None:
    """A Qt application for fonts and images; offscreen when none runs (the CLI).

    A full ``QApplication`` rather than a ``QGuiApplication``: whatever runs later in the same
    process (a test session, the window) may need widgets, and Qt allows one application.
    """
    global _application
    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _application = QApplication([])


def build_document(report: ReportData) -> QTextDocument:
    document = QTextDocument()
    for chart in report.charts:
        document.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(qt_resource(chart)),
            QImage.fromData(chart.png),  # PNG: Qt reads the format from the header,
        )
    for item in report.files:
        if item.shown and item.data is not None:
            document.addResource(
                QTextDocument.ResourceType.ImageResource,
                QUrl(file_resource(item)),
                QImage.fromData(item.data),
            )
    document.setDefaultFont(QFont("DejaVu Sans", 9))
    document.setHtml(render_html(report, for_qt=True))
    return document


def write_pdf(report: ReportData, path: Path) -> int:
    """Write ``report`` to ``path`` as an A4 PDF; return the number of pages."""
    ensure_application()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(f"Incident report {report.incident.ref}: {report.incident.title}")
    writer.setCreator("Commander")
    document = build_document(report)
    document.documentLayout().setPaintDevice(writer)
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    band = RESOLUTION * 0.32  # room for the running header and the footer (inches -> dots)
    body = QSizeF(area.width(), area.height() - 2 * band)
    document.setPageSize(body)
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise ValidationError(f"Cannot write {path}: the PDF could not be opened for writing.")
    try:
        for page in range(pages):
            if page:
                writer.newPage()
            _decorate(painter, report, page, pages, area.width(), area.height(), band)
            painter.save()
            painter.translate(0, band - page * body.height())
            document.drawContents(
                painter, QRectF(0, page * body.height(), body.width(), body.height())
            )
            painter.restore()
    finally:
        painter.end()
    return pages


def _decorate(
    painter: QPainter,
    report: ReportData,
    page: int,
    pages: int,
    width: float,
    height: float,
    band: float,
) -> None:
    """Running header (from page 2) and footer with the page number."""
    accent = QColor(ACCENT)
    grey = QColor("#5b6b6b")
    font = QFont("DejaVu Sans", 7)
    painter.setFont(font)
    if page:
        painter.setPen(grey)
        header = QRectF(0, 0, width, band * 0.6)
        title = f"{report.incident.ref} — {report.incident.title}"
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.setPen(QPen(accent, RESOLUTION / 150))
        painter.drawLine(0, round(band * 0.6), round(width), round(band * 0.6))
    footer_top = height - band * 0.7
    painter.setPen(QPen(accent, RESOLUTION / 150))
    painter.drawLine(0, round(footer_top), round(width), round(footer_top))
    painter.setPen(grey)
    footer = QRectF(0, footer_top, width, band * 0.7)
    painter.drawText(
        footer,
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        f"Incident report {report.incident.ref} · Commander",
    )
    painter.drawText(
        footer,
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        f"Page {page + 1} of {pages}",
    )
