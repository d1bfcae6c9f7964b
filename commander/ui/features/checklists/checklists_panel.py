"""The Checklists tab: the procedure's checklists for the selected incident, phase by phase.

Each phase shows its progress; a click on a step's box, or Space on the focused step, ticks
it, and the service logs "Checklist: <step> — done" on the timeline. The incident's current
phase is expanded and its progress shown on top. "Edit checklists…" opens the editor, where
steps are added, renamed, removed, reordered, or restored to the procedure's.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.checklists import ChecklistService, IncidentChecklists
from commander.ui.common.progress_delegate import ProgressDelegate
from commander.ui.features.checklists.checklist_editor import ChecklistEditorDialog
from commander.ui.features.checklists.checklist_model import (
    COL_DONE,
    COL_STEP,
    KEY_ROLE,
    PROGRESS_ROLE,
    ChecklistModel,
)


class ChecklistsPanel(QWidget):
    """Signals:
    sig_local_change: a tick was written; the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self, service: ChecklistService, zone: tzinfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._incident: Incident | None = None
        self.progress: IncidentChecklists | None = None
        self.editor: ChecklistEditorDialog | None = None
        self.model = ChecklistModel(zone, self)
        self.model.sig_tick_requested.connect(self.tick)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Checklists")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        self.phase_label = QLabel(self)
        self.phase_label.setAccessibleName("Current phase progress")
        self.phase_bar = QProgressBar(self)
        self.phase_bar.setAccessibleName("Current phase progress bar")
        self.phase_bar.setFormat("%v/%m")
        self.phase_bar.setMaximumHeight(self.fontMetrics().height() + 6)
        top = QHBoxLayout()
        top.addWidget(self.phase_label, 1)
        top.addWidget(self.phase_bar, 1)
        layout.addLayout(top)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Checklist steps")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setItemDelegateForColumn(COL_DONE, ProgressDelegate(PROGRESS_ROLE, self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DONE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_DONE, 96)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.tick_button = QPushButton("&Tick / untick", self)
        self.tick_button.setToolTip("Tick or untick the selected step (Space)")
        self.expand_button = QPushButton("E&xpand all", self)
        self.edit_button = QPushButton("&Edit checklists…", self)
        for button in (self.tick_button, self.expand_button, self.edit_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.tick_button.clicked.connect(self.toggle_current)
        self.expand_button.clicked.connect(self.tree.expandAll)
        self.edit_button.clicked.connect(lambda: self.edit_checklists())
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        self.tick_button.setEnabled(on)
        self.expand_button.setEnabled(on)

    # -- showing -------------------------------------------------------------------------

    def set_incident(self, incident: Incident | None) -> None:
        previous = self._incident
        same = (
            incident is not None
            and previous is not None
            and incident.id == previous.id
            and incident.phase == previous.phase
        )  # a new incident, or a new phase: open the (new) current phase
        self._incident = incident
        self._set_enabled(incident is not None)
        self.reload(expand=not same)

    def reload(self, *, expand: bool = False) -> None:
        incident = self._incident
        if incident is None:
            self.progress = None
            self.model.set_progress(None, None)
            self.phase_label.setText("No incident selected")
            self.phase_bar.hide()
            return
        try:
            self.progress = self._service.progress(incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        current = self.current_step()
        self.model.set_progress(self.progress, incident.phase)
        done, total = self.progress.phase_progress(incident.phase)
        self.phase_label.setText(f"{incident.phase.label}: {done} of {total} steps done")
        self.phase_bar.setMaximum(max(total, 1))
        self.phase_bar.setValue(done)
        self.phase_bar.setVisible(total > 0)
        if expand:
            self._expand_current_phase()
        elif current is not None:
            index = self.model.step_index(current)
            if index.isValid():
                self.tree.setCurrentIndex(index)

    def _expand_current_phase(self) -> None:
        self.tree.collapseAll()
        if self._incident is None:
            return
        phase = self.model.phase_index(self._incident.phase)
        if not phase.isValid():
            return
        self.tree.expand(phase)
        for row in range(self.model.rowCount(phase)):
            self.tree.expand(self.model.index(row, 0, phase))
        first = self.model.index(0, 0, self.model.index(0, 0, phase))
        if first.isValid():
            self.tree.setCurrentIndex(first)

    def current_step(self) -> str | None:
        index = self.tree.currentIndex()
        if not index.isValid() or self.model.state_at(index) is None:
            return None
        return str(index.siblingAtColumn(COL_STEP).data(KEY_ROLE))

    def select_step(self, step_key: str) -> QModelIndex:
        index = self.model.step_index(step_key)
        if index.isValid():
            self.tree.expand(index.parent().parent())
            self.tree.expand(index.parent())
            self.tree.setCurrentIndex(index)
        return index

    # -- ticking -------------------------------------------------------------------------

    def toggle_current(self) -> None:
        index = self.tree.currentIndex()
        state = self.model.state_at(index) if index.isValid() else None
        if state is not None:
            self.tick(state.step.key, not state.done)

    def tick(self, step_key: str, done: bool) -> None:
        incident = self._incident
        if incident is None:
            return
        try:
            changes = self._service.tick(incident.id, step_key, done)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.reload()
        if changes:
            state = self.progress.state(step_key) if self.progress else None
            text = state.step.text if state else step_key
            self.sig_message.emit(f"{text} — {'done' if done else 'not done'}")
            self.sig_local_change.emit()

    # -- editing -------------------------------------------------------------------------

    def edit_checklists(self, checklist_key: str | None = None) -> ChecklistEditorDialog:
        if self.editor is not None:
            self.editor.deleteLater()
        dialog = ChecklistEditorDialog(self._service, self)
        if checklist_key is None:
            current = self.tree.currentIndex()
            state = self.model.state_at(current) if current.isValid() else None
            checklist_key = state.ref.checklist.key if state else None
        if checklist_key:
            dialog.select_checklist(checklist_key)
        dialog.sig_saved.connect(self._on_edited)
        self.editor = dialog
        dialog.open()
        return dialog

    def _on_edited(self) -> None:
        self.reload()
        self.sig_local_change.emit()
