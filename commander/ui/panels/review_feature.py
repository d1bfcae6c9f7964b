"""Wire the post-incident review into the main window: the Review tab beside the timeline,
the Review menu, "Create action item" on timeline entries and the Action Items window.

The window calls ``install_review(self, workspace, deadlines)`` once; everything else about
the review lives here and in its own panels and dialogs, so the main window stays a shell.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QSplitter, QTabWidget

from commander.core.errors import CommanderError
from commander.core.review import ActionItem
from commander.services.action_items import ActionItemService
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.workspace import Workspace
from commander.ui.dialogs.action_item_dialog import ActionItemDialog, ActionItemForm
from commander.ui.dialogs.action_items_window import ActionItemsWindow
from commander.ui.models.action_item_model import ActionItemModel
from commander.ui.panels.review_panel import ReviewPanel

if TYPE_CHECKING:
    from commander.ui.main_window import MainWindow

TAB_TIMELINE, TAB_REVIEW = 0, 1


class ReviewFeature(QObject):
    """The review's tab, menu, dialogs and window for one main window."""

    def __init__(self, window: MainWindow, workspace: Workspace, deadlines: DeadlineService):
        super().__init__(window)
        self._window = window
        self.service = ReviewService(workspace, hours=deadlines.hours)
        self.item_service = ActionItemService(workspace)
        self._incidents = IncidentService(workspace)
        self.dialog: ActionItemDialog | None = None
        self.items_window: ActionItemsWindow | None = None
        self.all_items_model = ActionItemModel(self)
        self.save_path: Path | None = None  # tests (and scripts) skip the file dialog
        self._items_seq = 0
        self.panel = ReviewPanel(
            self.service, self.item_service, self._incidents, window.roster_service, self, window
        )
        self.panel.sig_local_change.connect(window.refresh)
        self.panel.sig_message.connect(lambda text: window.statusBar().showMessage(text, 5000))
        self._install_tabs()
        self._install_menu()
        # Connected after the window's own slot, so the window already shows the new incident.
        window.incident_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._follow_window()
        )
        self._follow_window()

    # -- building --------------------------------------------------------------------------

    def _install_tabs(self) -> None:
        """Put the timeline and the review in tabs where the timeline was."""
        timeline = self._window.timeline_panel
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
        window = self._window
        bar = window.menuBar()
        menu = bar.addMenu("&Review")
        actions = bar.actions()
        help_action = next((a for a in actions if a.text().replace("&", "") == "Help"), None)
        if help_action is not None:
            bar.insertMenu(help_action, menu)  # keep Help last

        def add(text: str, slot, shortcut: str | None = None) -> QAction:  # type: ignore[no-untyped-def]
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
        incident_actions = [
            self.action_review,
            self.action_new_item,
            self.action_from_entry,
            self.action_schedule,
            self.action_ics,
            self.action_held,
        ]
        window._incident_actions.extend(incident_actions)
        for action in incident_actions:
            action.setEnabled(window.current_incident() is not None)
        # Logging or filtering from the Review tab brings the timeline back first.
        for action, focus in (
            (window.action_quick_entry, window.timeline_panel.quick_entry.focus),
            (window.action_find, window.timeline_panel.focus_filter),
        ):
            action.triggered.connect(lambda _=False, focus=focus: self._to_timeline(focus))
        # "Create action item" on a timeline entry's context menu (right click).
        table = window.timeline_panel.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.action_entry_menu = QAction("Create action item…", table)
        self.action_entry_menu.triggered.connect(self.item_from_entry)
        table.addAction(self.action_entry_menu)

    # -- following the window --------------------------------------------------------------

    def _follow_window(self) -> None:
        self.panel.set_incident(self._window.current_incident())

    def _to_timeline(self, focus) -> None:  # type: ignore[no-untyped-def]
        if self.tabs.currentIndex() != TAB_TIMELINE:
            self.tabs.setCurrentIndex(TAB_TIMELINE)
            focus()

    def show_timeline(self) -> None:
        """The Timeline tab (a search result opened at an entry)."""
        self.tabs.setCurrentIndex(TAB_TIMELINE)

    def show_review(self) -> None:
        self.tabs.setCurrentIndex(TAB_REVIEW)
        self._follow_window()

    def focus_schedule(self) -> None:
        self.show_review()
        self.panel.scroll.ensureWidgetVisible(self.panel.meeting)
        self.panel.meeting.when_edit.setFocus()

    def refresh_all(self) -> None:
        self._window.refresh()
        self.panel.reload()
        if self.items_window is not None and self.items_window.isVisible():
            self.load_items(None)

    # -- action items ----------------------------------------------------------------------

    def owners(self) -> list[str]:
        try:
            return [p.name or p.handle for p in self._window.people_service.people()]
        except CommanderError:
            return []

    def new_item(self, entry_id: str | None = None, context: str = "", title: str = ""):  # type: ignore[no-untyped-def]
        incident = self._window.current_incident()
        if incident is None:
            self._window.statusBar().showMessage("Select an incident first", 5000)
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
        entry = self._window.timeline_panel.current_entry()
        if entry is None:
            self._window.statusBar().showMessage("Select a timeline entry first", 5000)
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
        self.items_window.new_button.setEnabled(self._window.current_incident() is not None)
        self.items_window.show()
        self.items_window.raise_()
        self.items_window.activateWindow()
        return self.items_window

    def go_to_incident(self, incident_id: str) -> None:
        self._window.select_incident(incident_id)
        self.show_review()
        self._window.raise_()
        self._window.activateWindow()

    # -- the invitation --------------------------------------------------------------------

    def export_ics(self) -> Path | None:
        incident = self._window.current_incident()
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
            self._window.statusBar().showMessage(_sentence(err), 8000)
            return None
        self._window.statusBar().showMessage(f"Invitation written to {path}", 5000)
        return path


def _sentence(err: Exception) -> str:
    if isinstance(err, OSError):
        return f"Could not write the invitation: {err.strerror or err}."
    return str(err)


def install_review(window: MainWindow, workspace: Workspace, deadlines: DeadlineService):  # type: ignore[no-untyped-def]
    return ReviewFeature(window, workspace, deadlines)
