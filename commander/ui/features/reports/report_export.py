"""Export the selected incident's report, and import an incident, from the main window.

The work (gathering the record, drawing charts, laying out a PDF, replaying ops) runs on a
``TaskRunner`` worker; the status bar says what is happening and how it ended, and a failure
is one sentence in a message box. The format is chosen by the file dialog's filter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.deadlines import DeadlineService
from commander.services.report import FORMAT_NAMES, SUFFIXES, ExportResult, ReportService
from commander.services.transfer import ImportSummary
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner

# Filters in the order the dialog offers them: the shareable document first.
FILTERS: dict[str, str] = {
    fmt: f"{FORMAT_NAMES[fmt]} (*{SUFFIXES[fmt]})"
    for fmt in ("pdf", "html", "md", "json", "ics214")
}


class ReportExporter(QObject):
    """The window's *Export report…* and *Import incident…* actions.

    Signals:
        sig_exported: a report was written (the ``ExportResult``).
        sig_imported: an incident was imported (the ``ImportSummary``).
        sig_failed: an export or import failed (the sentence shown).
    """

    sig_exported = Signal(object)
    sig_imported = Signal(object)
    sig_failed = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        deadlines: DeadlineService,
        tasks: TaskRunner,
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self._service = ReportService(workspace, deadlines)
        self._tasks = tasks
        self._window = window
        self.busy = False

    # -- export ----------------------------------------------------------------------------

    def export(
        self, incident: Incident | None, path: str | None = None, fmt: str | None = None
    ) -> bool:
        """Ask where (unless ``path`` is given) and write the report on a worker."""
        if incident is None or self.busy:
            return False
        if path is None:
            # The name the review invitation links (<ref>-report.html); HTML first for that.
            suggested = str(Path.home() / f"{incident.ref}-report.html")
            path, chosen = QFileDialog.getSaveFileName(
                self._window,
                "Export incident report",
                suggested,
                ";;".join(FILTERS.values()),
                FILTERS["html"],
            )
            if not path:
                return False
            fmt = next((key for key, text in FILTERS.items() if text == chosen), None)
        target = Path(path)
        fmt = fmt or next(
            (key for key, suffix in SUFFIXES.items() if target.suffix.lower() == suffix), "pdf"
        )
        if target.suffix.lower() != SUFFIXES[fmt]:
            target = target.with_name(target.name + SUFFIXES[fmt])
        service = self._service
        incident_id = incident.id

        def work() -> ExportResult:
            writer: Callable[..., Any] | None = None
            if fmt == "pdf":
                from commander.ui.features.reports.report_pdf import write_pdf

                writer = write_pdf
            return service.export(incident_id, fmt, target, pdf_writer=writer)

        self._start(f"Exporting the {FORMAT_NAMES[fmt]} report of {incident.ref}…")
        self._tasks.submit(work, self._on_exported, self._on_failed)
        return True

    def _on_exported(self, result: ExportResult) -> None:
        self.busy = False
        self._say(f"Report written to {result.path}")
        self.sig_exported.emit(result)

    # -- import ----------------------------------------------------------------------------

    def import_file(
        self, path: str | None = None, on_done: Callable[[str], None] | None = None
    ) -> bool:
        """Ask for a JSON export (unless ``path`` is given) and add its incident."""
        if self.busy:
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self._window, "Import incident", str(Path.home()), FILTERS["json"]
            )
            if not path:
                return False
        service = self._service
        source = Path(path)

        def finished(summary: ImportSummary) -> None:
            self.busy = False
            self._say(f"{summary.ref} imported ({summary.imported} changes)")
            if on_done is not None:
                on_done(summary.incident_id)
            self.sig_imported.emit(summary)

        self._start(f"Importing {source.name}…")
        self._tasks.submit(lambda: service.import_file(source), finished, self._on_failed)
        return True

    # -- shared ----------------------------------------------------------------------------

    def _start(self, message: str) -> None:
        self.busy = True
        self._window.statusBar().showMessage(message)

    def _say(self, message: str) -> None:
        self._window.statusBar().showMessage(message, 8000)

    def _on_failed(self, error: Exception) -> None:
        self.busy = False
        if isinstance(error, CommanderError):
            text = str(error)
        elif isinstance(error, OSError):
            text = f"Could not write the file: {error.strerror or error}."
        else:
            text = f"The report could not be made ({type(error).__name__}: {error})."
        self._say(text)
        self.sig_failed.emit(text)
        QMessageBox.warning(self._window, "Commander", text)
