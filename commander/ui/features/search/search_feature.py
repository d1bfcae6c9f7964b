"""The window's memory of past incidents: search everything, and similar incidents.

The search dialog (Ctrl+Shift+F), and opening a result where it is; the similar-incidents
line in the incident header (``panels/similar_strip``), whose links open past incidents.

Opening a match selects its incident in the list (which shows it) and, for a timeline
match, selects and scrolls to the entry; a review section or action item opens the Review
tab, a runbook step run the Runbook tab; the main window comes to the front.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from commander.services.search import SearchService
from commander.services.workspace import Workspace
from commander.ui.features.search.search_dialog import SearchDialog
from commander.ui.features.search.similar_strip import SimilarStrip

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost


REVIEW_KINDS = frozenset({"review", "action_item"})
RUNBOOK_KIND = "runbook"


class SearchFeature(QObject):
    """Builds the dialog when first asked for (most sessions never search)."""

    def __init__(self, window: FeatureHost, workspace: Workspace) -> None:
        super().__init__(window.main_window())
        self._window = window
        self._ws = workspace
        self.dialog: SearchDialog | None = None
        self.similar = SimilarStrip(workspace, window.tasks, window.header)
        window.header.add_row(self.similar, self.similar.set_incident)
        self.similar.sig_open.connect(lambda incident_id: self.open_at(incident_id, ""))

    def open(self) -> SearchDialog:
        """Show the search window (Ctrl+Shift+F) with its field focused; reopened, it searches
        again, so what was written meanwhile is found."""
        window = self._window
        if self.dialog is None:
            self.dialog = SearchDialog(
                SearchService(self._ws), self._ws.zone, window.tasks, window.main_window()
            )
            self.dialog.sig_open.connect(self.open_at)
        else:
            self.dialog.search()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.focus_query()
        return self.dialog

    def open_at(self, incident_id: str, entry_id: str, kind: str = "incident") -> None:
        """Show ``incident_id`` in the window, at ``entry_id`` if given, or at the review for
        a match in it (``kind``); for a runbook step ``entry_id`` is the step's key."""
        window = self._window
        if not window.lists_incident(incident_id):
            window.show_message("That incident is no longer in the list.", 5000)
            return
        window.select_incident(incident_id)
        if kind == RUNBOOK_KIND:
            window.show_runbook_step(entry_id)
        elif entry_id:
            window.show_timeline_entry(entry_id)
        elif kind in REVIEW_KINDS:
            window.show_review()
        window.main_window().raise_()
        window.main_window().activateWindow()
