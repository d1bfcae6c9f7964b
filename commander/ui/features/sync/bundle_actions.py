"""Bundles in the window: *Sync → Import bundle…*, *Export bundle…*, and a bundle dropped on
the window (or on the timeline, which would otherwise attach it as a file).

Reading, verifying and merging a bundle, and writing one, run on a worker; the outcome is one
sentence in the status bar, or a message box naming what a refused bundle failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from commander.core.errors import CommanderError
from commander.services.bundles import (
    BundleImported,
    BundleWritten,
    export_bundle,
    import_bundle,
)
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner

BUNDLE_SUFFIX = ".bundle"
FILTER = "Commander bundles (*.bundle);;All files (*)"


def bundle_paths(paths: list[Path]) -> list[Path]:
    """The dropped files that are bundles, by their name (the import checks the content)."""
    return [path for path in paths if path.suffix.lower() == BUNDLE_SUFFIX]


def imported_text(result: BundleImported, name: str) -> str:
    extra = [f"{result.already_present:,} already here"] if result.already_present else []
    if result.revoked_left_out:
        extra.append(f"{result.revoked_left_out:,} of revoked nodes left out")
    tail = f"; {', '.join(extra)}" if extra else ""
    return (
        f"{result.imported:,} changes imported from {result.exporter}'s bundle {name} "
        f"(key {result.exporter_fingerprint}){tail}."
    )


class BundleActions(QObject):
    """The bundle actions of one window.

    Signals:
        sig_imported: changes arrived (the window refreshes as after a pull).
        sig_message(str): what happened, in one sentence.
    """

    sig_imported = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        menu: QMenu,
        tasks: TaskRunner,
        current_incident: Callable[[], str | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ws = workspace
        self._tasks = tasks
        self._current = current_incident
        self.action_import = menu.addAction("&Import bundle…")
        self.action_import.triggered.connect(self.choose_import)
        self.action_export = menu.addAction("&Export bundle…")
        self.action_export.triggered.connect(lambda: self.choose_export(incident_only=False))
        self.action_export_incident = menu.addAction("Export this &incident's bundle…")
        self.action_export_incident.triggered.connect(lambda: self.choose_export(True))
        self.error_box: QMessageBox | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- import ----------------------------------------------------------------------------

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._window, "Import bundle", "", FILTER)
        if name:
            self.import_paths([Path(name)])

    def import_paths(self, paths: list[Path]) -> None:
        """Verify and merge each bundle, one after another, on a worker."""
        workspace = self._ws

        def work() -> list[str]:
            return [imported_text(import_bundle(workspace, path), path.name) for path in paths]

        def done(texts: list[str]) -> None:
            self.sig_imported.emit()
            self.sig_message.emit(" ".join(texts))

        self._tasks.submit(work, done, self._failed("import"))

    # -- export ----------------------------------------------------------------------------

    def choose_export(self, incident_only: bool) -> None:
        incident = self._current() if incident_only else None
        if incident_only and incident is None:
            self.sig_message.emit("Select an incident first: its changes go into the bundle.")
            return
        name, _ = QFileDialog.getSaveFileName(
            self._window, "Export bundle", f"commander{BUNDLE_SUFFIX}", FILTER
        )
        if name:
            path = Path(name)
            if path.suffix.lower() != BUNDLE_SUFFIX:
                path = path.with_name(path.name + BUNDLE_SUFFIX)
            self.export_to(path, incident)

    def export_to(self, path: Path, incident: str | None = None) -> None:
        workspace = self._ws

        def work() -> BundleWritten:
            return export_bundle(workspace, path, incident=incident)

        def done(written: BundleWritten) -> None:
            scope = f" of {written.incident_ref}" if written.incident_ref else ""
            self.sig_message.emit(
                f"{written.ops:,} changes{scope} written to {written.path.name} "
                f"({written.size:,} bytes)."
            )

        self._tasks.submit(work, done, self._failed("export"))

    def _failed(self, what: str) -> Callable[[Exception], None]:
        def failed(exc: Exception) -> None:
            text = str(exc) if isinstance(exc, CommanderError) else f"Could not {what}: {exc}"
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Commander",
                f"The bundle {what} was refused.",
                parent=self._window,
            )
            box.setInformativeText(text)
            self.error_box = box
            box.open()
            self.sig_message.emit(text)

        return failed

    # -- drop ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window:
            if isinstance(event, QDragEnterEvent | QDragMoveEvent):
                if bundle_paths(_local_paths(event)):
                    event.acceptProposedAction()
                    return True
            elif isinstance(event, QDropEvent) and event.type() == QEvent.Type.Drop:
                bundles = bundle_paths(_local_paths(event))
                if bundles:
                    event.acceptProposedAction()
                    self.import_paths(bundles)
                    return True
        return super().eventFilter(watched, event)


def _local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
