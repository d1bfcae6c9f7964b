"""*Settings → Procedure*: which procedure runs and where it came from; load or export a file.

Reading, checking and storing a file, and writing an export, run on the window's workers: a
big file or a slow disk never freezes the window. A file with problems is refused whole, every
problem listed by line, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commander.core.procedure_file import ProcedureError
from commander.core.severity_names import SeverityNames
from commander.services.procedures import LoadedProcedure, ProcedureService
from commander.ui.common.tasks import TaskRunner
from commander.ui.shell.preferences import Preferences

FILE_FILTER = "Procedure files (*.toml);;All files (*)"


def describe(loaded: LoadedProcedure, zone: tzinfo) -> str:
    """The page's state: name and version, where it came from, and what it holds."""
    p = loaded.procedure
    if loaded.builtin:
        where = "Built in: the procedure Commander ships (docs/procedure.md)."
    else:
        when = f"{loaded.loaded_at.astimezone(zone):%Y-%m-%d %H:%M}" if loaded.loaded_at else ""
        where = f"Loaded from {escape(loaded.source)} by {escape(loaded.loaded_by or '?')} {when}."
    names = SeverityNames.of(p)
    levels = ", ".join(escape(names.label(level)) for level in names.levels())
    counts = ", ".join(
        _count(n, what)
        for n, what in (
            (len(p.types), "incident type"),
            (len(p.roles), "role"),
            (len(p.deadline_keys()), "deadline"),
            (len(p.checklists), "checklist"),
            (len(p.fields), "custom field"),
        )
    )
    problem = f"<br><b>Not readable here:</b> {escape(loaded.problem)}" if loaded.problem else ""
    return (
        f"<b>{escape(loaded.procedure.label)}</b><br>{where}<br>"
        f"Severities: {levels}<br>{counts}{problem}"
    )


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


class ProcedurePage(QWidget):
    """The procedure the workspace runs (it syncs: every laptop and the display run it)."""

    def __init__(
        self,
        service: ProcedureService,
        tasks: TaskRunner,
        zone: tzinfo,
        on_loaded: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._zone = zone
        self._on_loaded = on_loaded
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("Procedure in use")
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Last action")
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems in the file")
        self.problems.hide()
        self.load_button = QPushButton("&Load file…", self)
        self.load_button.setAccessibleName("Load a procedure file")
        self.load_button.clicked.connect(self.choose_file)
        self.export_button = QPushButton("E&xport…", self)
        self.export_button.setAccessibleName("Export the procedure file")
        self.export_button.clicked.connect(self.choose_export)
        note = QLabel(
            "The procedure is workspace data: it syncs, and a change applies to active "
            "incidents from then on, logged on their timelines.",
            self,
        )
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.load_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(note)
        layout.addStretch(0)

    # -- the settings page protocol ----------------------------------------------------------

    def load(self, prefs: Preferences) -> None:
        self.refresh()

    def read(self, prefs: Preferences) -> Preferences:
        return prefs  # nothing here is a preference: loading a file acts at once

    # -- actions -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.state_label.setText(describe(self._service.current(), self._zone))

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a procedure file", "", FILE_FILTER)
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Check and load ``path`` on a worker; problems are listed here, by line."""
        self._busy(f"Checking {path.name}…")
        service = self._service
        self._tasks.submit(
            lambda: service.load(path.read_text("utf-8"), path.name),
            self._loaded,
            lambda exc: self._failed(path, exc),
        )

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the procedure file", "procedure.toml", FILE_FILTER
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        self._busy(f"Exporting to {path.name}…")
        service = self._service
        self._tasks.submit(
            lambda: path.write_text(service.export(), "utf-8"),
            lambda _count: self._done(f"Exported to {path}."),
            lambda exc: self._done(f"Could not write {path}: {exc}"),
        )

    def _loaded(self, loaded: LoadedProcedure) -> None:
        self.problems.hide()
        self.refresh()
        self._done(f"Loaded {loaded.procedure.label}: its rules apply from now on.")
        self._on_loaded()

    def _failed(self, path: Path, exc: Exception) -> None:
        if isinstance(exc, ProcedureError):
            count = len(exc.problems)
            self.problems.setPlainText("\n".join(exc.problems))
            self.problems.show()
            self._done(
                f"{path.name} was not loaded: {count} problem{'s' if count > 1 else ''}, "
                "listed below. Nothing changed."
            )
        elif isinstance(exc, UnicodeDecodeError):
            self._done(f"{path.name} was not loaded: it is not UTF-8 text. Nothing changed.")
        else:
            self._done(f"{path.name} was not loaded: {exc}. Nothing changed.")

    def _busy(self, text: str) -> None:
        self.load_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.status_label.setText(text)

    def _done(self, text: str) -> None:
        self.load_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.status_label.setText(text)
