"""Similar incidents under the header: "Like this before: INC-… (same alert X; service Y)".

Found on a worker each time another incident is shown (or its title or services change),
right after declaring too, so the commander sees at once what happened last time. A click
opens the details (duration, root cause, resolution, runbook steps run) in a table; a
double-click there, or Open, shows that past incident.

Signals:
    sig_open(str): the id of a past incident to show.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.records import Incident
from commander.services.similar import SimilarIncident, SimilarService
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role
from commander.ui.features.search.similar_model import COL_INCIDENT, COL_WHY, SimilarModel

SHOWN_INLINE = 2  # the rest are one click away


def similar_html(found: list[SimilarIncident], *, links: bool, inline: int = SHOWN_INLINE) -> str:
    """ "Like this before: INC-… title (why) · …" as rich text; empty when nothing resembles."""
    if not found:
        return ""
    parts = []
    for n, item in enumerate(found[:inline]):
        ref = escape(item.incident.ref)
        ref = f'<a href="{n}">{ref}</a>' if links else f"<b>{ref}</b>"
        parts.append(f"{ref} {escape(item.incident.title)} ({escape(item.explanation)})")
    more = len(found) - inline
    if links:
        parts.append(f'<a href="details">{f"{more} more, " if more > 0 else ""}details…</a>')
    elif more > 0:
        parts.append(f"{more} more")
    return "Like this before: " + " · ".join(parts)


class SimilarDialog(QDialog):
    """The similar incidents in full; Open (or a double-click) shows the chosen one."""

    sig_open = Signal(str)

    def __init__(self, model: SimilarModel, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName("Similar incidents")
        layout = QVBoxLayout(self)
        self.table = QTableView(self)
        self.table.setAccessibleName("Similar incidents")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column in range(model.columnCount()):
            header.resizeSection(column, 150)
        header.resizeSection(COL_INCIDENT, 260)
        header.resizeSection(COL_WHY, 240)
        self.table.resizeRowsToContents()
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName("Open the past incident")
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex().row()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._model = model
        if model.rowCount():
            self.table.selectRow(0)
        self.resize(1180, 420)

    def _open(self, row: int) -> None:
        if 0 <= row < self._model.rowCount():
            self.sig_open.emit(self._model.item_at(row).incident.id)
            self.accept()


class SimilarStrip(QLabel):
    """One line of links; hidden while nothing resembles the incident shown."""

    sig_open = Signal(str)

    def __init__(self, workspace: Workspace, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = SimilarService(workspace)
        self._tasks = tasks
        self._key: tuple[str, str, tuple[str, ...]] | None = None
        self._running = False
        self.items: list[SimilarIncident] = []
        self.model = SimilarModel(workspace.zone, self)
        self.dialog: SimilarDialog | None = None
        self._incident: Incident | None = None
        self.setAccessibleName("Similar incidents")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.linkActivated.connect(self._on_link)
        set_role(self, "muted")
        self.hide()

    def set_incident(self, incident: Incident | None) -> None:
        """Look for incidents like ``incident`` (again only if what they are compared by
        changed: another incident, its title or its services)."""
        self._incident = incident
        key = None if incident is None else (incident.id, incident.title, incident.services)
        if key == self._key:
            return
        self._key = key
        self.items = []
        self.model.set_items([])
        self.hide()
        if incident is None:
            return
        self._running = True
        service, incident_id = self._service, incident.id
        self._tasks.submit(
            lambda: service.for_incident(incident_id),
            lambda found: self._on_found(key, found),
            lambda exc: self._on_failed(key, exc),
        )

    def is_searching(self) -> bool:
        return self._running

    def _on_found(self, key: object, found: list[SimilarIncident]) -> None:
        if key != self._key:
            return  # another incident is shown by now
        self._running = False
        self.items = found
        self.model.set_items(found)
        if not found:
            return
        self.setText(similar_html(found, links=True))
        self.setToolTip("Root cause, resolution and runbook steps of each: click details")
        self.show()

    def _on_failed(self, key: object, exc: Exception) -> None:
        if key == self._key:
            self._running = False
            self.setText(escape(f"Similar incidents could not be looked up: {exc}"))
            self.show()

    def _on_link(self, link: str) -> None:
        if link == "details":
            self.open_details()
        elif link.isdigit() and int(link) < len(self.items):
            self.sig_open.emit(self.items[int(link)].incident.id)

    def open_details(self) -> SimilarDialog:
        ref = self._incident.ref if self._incident is not None else ""
        self.dialog = SimilarDialog(self.model, f"Incidents like {ref} — Commander", self.window())
        self.dialog.sig_open.connect(self.sig_open)
        self.dialog.show()
        return self.dialog
