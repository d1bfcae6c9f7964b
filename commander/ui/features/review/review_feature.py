"""Wire the post-incident review into the main window: the Review tab beside the timeline,
the Review menu, "Create action item" on timeline entries and the Action Items window.

The window builds one ``ReviewFeature(host)`` through the feature interface; everything else about
the review lives here and in its own panels and dialogs, so the main window stays a shell.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QSplitter, QTabWidget

from commander.core.errors import CommanderError
from commander.core.review import ActionItem
from commander.services.action_items import ActionItemService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.ui.features.review.action_item_dialog import ActionItemDialog, ActionItemForm
from commander.ui.features.review.action_item_model import ActionItemModel
from commander.ui.features.review.action_items_window import ActionItemsWindow
from commander.ui.features.review.review_panel import ReviewPanel

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost

TAB_TIMELINE, TAB_REVIEW = 0, 1


class ReviewFeature(QObject):
    """The review's tab, menu, dialogs and window for one main window."""

    def __init__(self, host: FeatureHost) -> None:
        window = host.main_window()
        super().__init__(window)
        self._host = host
        self._window = window
        workspace = host.workspace
        self.service = ReviewService(workspace, hours=host.deadlines.hours)
        self.item_service = ActionItemService(workspace)
        self._incidents = IncidentService(workspace)
        self.dialog: ActionItemDialog | None = None
        self.items_window: ActionItemsWindow | None = None
        self.all_items_model = ActionItemModel(self)
        self.save_path: Path | None = None  # tests (and scripts) skip the file dialog
        self._items_seq = 0
        self.panel = ReviewPanel(
            self.service, self.item_service, self._incidents, host.roster_service, self, window
        )
        self.panel.sig_local_change.connect(host.local_write)
        self.panel.sig_message.connect(host.show_message)
        self._install_tabs()
        self._install_menu()
        # Emitted once the window shows the new incident.
        host.sig_incident_changed.connect(lambda _incident: self._follow_window())
        self._follow_window()

    # -- building --------------------------------------------------------------------------

    def _install_tabs(self) -> None:
        """Put the timeline and the review in tabs where the timeline was."""
        timeline = self._host.timeline_panel
        splitter = timeline.parentWidget()
        assert isinstance(splitter, QSplitter)
        index = splitter.indexOf(timeline)
        self.tabs = QTabWidget()  # parentless: replaceWidget refuses a sibling
        self.tabs.setAccessibleName("Timeline and review")
        self.tabs.setDocumentMode(True)
        splitter.replaceWidget(index, self.tabs)
        # No mnemonics: Alt+T and Alt+V open the Team and View menus.
        self.tabs.addTab(timeline, "Timeline")
        self.tabs.addTab(self.panel, "Review")
        self.tabs.currentChanged.connect(lambda _: self._follow_window())

    def _install_menu(self) -> None:
        host, window = self._host, self._window
        menu = host.add_menu("&Review")

        def add(text: str, slot: Callable[[], object], shortcut: str | None = None) -> QAction:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        self.action_review = add("Post-incident &review", self.show_review, "Ctrl+Shift+V")
        self.action_new_item = add("&New action item…", lambda: self.new_item(), "Ctrl+Shift+N")
        self.action_from_entry = add("Action item from timeline &entry…", self.item_from_entry)
        menu.addSeparator()
        self.action_schedule = add("&Schedule review…", self.focus_schedule)
        self.action_ics = add("Export review &invitation (.ics)…", self.export_ics)
        self.action_held = add("Mark review &held", self.panel.meeting.mark_held)
        menu.addSeparator()
        self.action_items = add(
            "&Action items (all incidents)…", self.open_items_window, "Ctrl+Shift+A"
        )
        host.add_incident_action(
            self.action_review,
            self.action_new_item,
            self.action_from_entry,
            self.action_schedule,
            self.action_ics,
            self.action_held,
        )
        # Logging or filtering from the Review tab brings the timeline back first.
        timeline = host.timeline_panel
        timeline.sig_focus_requested.connect(self._to_timeline)
        # "Create action item" on a timeline entry's context menu (right click).
        table = timeline.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.action_entry_menu = QAction("Create action item…", table)
        self.action_entry_menu.triggered.connect(self.item_from_entry)
        table.addAction(self.action_entry_menu)

    # -- following the window --------------------------------------------------------------

    def _follow_window(self) -> None:
        self.panel.set_incident(self._host.current_incident())

    def _to_timeline(self) -> None:
        """The timeline was asked for a keystroke (Ctrl+L, Ctrl+F): show its tab first."""
        if self.tabs.currentIndex() != TAB_TIMELINE:
            self.tabs.setCurrentIndex(TAB_TIMELINE)

    def show_timeline(self) -> None:
        """The Timeline tab (a search result opened at an entry)."""
        self.tabs.setCurrentIndex(TAB_TIMELINE)

    def show_review(self) -> None:
        self.tabs.setCurrentIndex(TAB_REVIEW)
        self._follow_window()

    def focus_schedule(self) -> None:
        self.show_review()
        self.panel.scroll_area.ensureWidgetVisible(self.panel.meeting)
        self.panel.meeting.when_edit.setFocus()

    def refresh_all(self) -> None:
        self._host.local_write()
        self.panel.reload()
        if self.items_window is not None and self.items_window.isVisible():
            self.load_items(None)

    # -- action items ----------------------------------------------------------------------

    def owners(self) -> list[str]:
        try:
            return [p.name or p.handle for p in self._host.people_service.people()]
        except CommanderError:
            return []

    def new_item(self, entry_id: str | None = None, context: str = "", title: str = ""):  # type: ignore[no-untyped-def]
        incident = self._host.current_incident()
        if incident is None:
            self._host.show_message("Select an incident first", 5000)
            return None

        def submit(form: ActionItemForm) -> ActionItem:
            return self.item_service.add_action_item(
                incident.id,
                form.title,
                owner=form.owner,
                term=form.term,
                due=form.due,
                status=form.status,
                tracker_url=form.tracker_url,
                entry_id=entry_id,
            )

        dialog = ActionItemDialog(
            f"New action item — {incident.ref}",
            None,
            self.owners(),
            self.item_service.today(),
            submit,
            self._window,
            context=context,
            suggested_title=title,
        )
        return self._open(dialog)

    def item_from_entry(self):  # type: ignore[no-untyped-def]
        entry = self._host.timeline_panel.current_entry()
        if entry is None:
            self._host.show_message("Select a timeline entry first", 5000)
            return None
        event = entry.amended_event if entry.amended_event is not None else entry.event
        when = entry.occurred_at.astimezone(self.service.workspace.zone)
        context = f"From timeline entry {when:%Y-%m-%d %H:%M}: {event}"
        return self.new_item(entry.id, context, " ".join(event.split())[:200])

    def edit_item(self, item: ActionItem) -> ActionItemDialog:
        def submit(form: ActionItemForm) -> ActionItem:
            return self.item_service.update_action_item(
                item.id,
                title=form.title,
                owner=form.owner,
                term=form.term,
                due=form.due,
                status=form.status,
                tracker_url=form.tracker_url,
            )

        ref = {i.id: i.ref for i in self._incidents.list()}.get(item.incident_id, "")
        dialog = ActionItemDialog(
            f"Action item — {ref}",
            item,
            self.owners(),
            self.item_service.today(),
            submit,
            self._window,
        )
        return self._open(dialog)

    def _open(self, dialog: ActionItemDialog) -> ActionItemDialog:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.accepted.connect(self.refresh_all)
        dialog.open()
        return dialog

    def changed_since_last_look(self) -> bool:
        try:
            changes = self._incidents.changes_since(self._items_seq)
        except CommanderError:
            return False
        self._items_seq = changes.last_seq if changes else self._items_seq
        return bool(changes)

    def load_items(self, incident_id: str | None) -> None:
        self._items_seq = self._incidents.last_seq()
        refs = {i.id: i.ref for i in self._incidents.list()}
        self.all_items_model.set_items(
            self.item_service.action_items(incident_id), refs, self.item_service.today()
        )

    def open_items_window(self) -> ActionItemsWindow:
        if self.items_window is None:
            self.items_window = ActionItemsWindow(self, self.all_items_model, self._window)
        self.load_items(None)
        self.items_window.new_button.setEnabled(self._host.current_incident() is not None)
        self.items_window.show()
        self.items_window.raise_()
        self.items_window.activateWindow()
        return self.items_window

    def go_to_incident(self, incident_id: str) -> None:
        self._host.select_incident(incident_id)
        self.show_review()
        self._window.raise_()
        self._window.activateWindow()

    # -- the invitation --------------------------------------------------------------------

    def export_ics(self) -> Path | None:
        incident = self._host.current_incident()
        if incident is None:
            return None
        path = self.save_path
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self._window,
                "Export review invitation",
                str(Path.home() / f"{incident.ref}-review.ics"),
                "iCalendar (*.ics)",
            )
            if not chosen:
                return None
            path = Path(chosen)
        try:
            path.write_bytes(self.service.review_ics(incident.id))
        except (CommanderError, OSError) as err:
            self._host.show_message(_sentence(err), 8000)
            return None
        self._host.show_message(f"Invitation written to {path}", 5000)
        return path


def _sentence(err: Exception) -> str:
    if isinstance(err, OSError):
        return f"Could not write the invitation: {err.strerror or err}."
    return str(err)
