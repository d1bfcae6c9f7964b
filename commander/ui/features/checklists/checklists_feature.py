"""Checklists and runbooks in the main window: two side tabs over one pair of services.

One object so the main window only wires it (as with comms): it builds the services and the
"Checklists" and "Runbook" panels, follows the selected incident, and reloads both when a
checklist was edited elsewhere (another laptop, the CLI).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from commander.core.ops import WORKSPACE_SCOPE
from commander.core.records import ChangeSet, Incident
from commander.services.checklists import ChecklistService
from commander.services.runbooks import RunbookService
from commander.services.workspace import Workspace
from commander.ui.features.checklists.checklists_panel import ChecklistsPanel
from commander.ui.features.checklists.runbook_panel import RunbookPanel


class _Host(Protocol):
    side_tabs: QTabWidget

    def add_side_panel(self, panel: QWidget, title: str) -> None: ...


class ChecklistsFeature(QObject):
    """Signals:
    sig_local_change: a tick, value or "ran" entry was written; the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self.checklists = ChecklistService(workspace)
        self.runbooks = RunbookService(workspace, self.checklists)
        self.checklists_panel = ChecklistsPanel(self.checklists, workspace.zone, parent)
        self.runbook_panel = RunbookPanel(self.runbooks, parent)
        for panel in (self.checklists_panel, self.runbook_panel):
            panel.sig_local_change.connect(self.sig_local_change)
            panel.sig_message.connect(self.sig_message)
        self._tabs: QTabWidget | None = None

    def install(self, host: _Host) -> None:
        host.add_side_panel(self.checklists_panel, "Checklists")
        host.add_side_panel(self.runbook_panel, "Runbook")
        self._tabs = host.side_tabs

    def show_checklists(self) -> None:
        """Bring the Checklists tab forward with the keyboard in its steps (Space ticks)."""
        if self._tabs is not None:
            self._tabs.setCurrentWidget(self.checklists_panel)
        self.checklists_panel.tree.setFocus()

    def show_runbook(self) -> None:
        """Bring the Runbook tab forward with the keyboard in its list (Ctrl+C copies)."""
        if self._tabs is not None:
            self._tabs.setCurrentWidget(self.runbook_panel)
        self.runbook_panel.table.setFocus()

    def set_incident(self, incident: Incident | None) -> None:
        self.checklists_panel.set_incident(incident)
        self.runbook_panel.set_incident(incident)

    def apply_changes(self, changes: ChangeSet) -> None:
        """Reload when a checklist (workspace-wide) changed; incident changes come through
        ``set_incident``."""
        if WORKSPACE_SCOPE in changes.incident_ids:
            self.checklists_panel.reload()
            self.runbook_panel.reload()
