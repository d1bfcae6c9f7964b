"""The one interface between the main window and the features installed in it.

A feature (review, alerts, Slack, sync, questions, search, preferences ...) is given a
``FeatureHost`` and asks it for what it needs: the selected incident, the services, the task
runner, the refresh signal. It gives back what it provides through the same interface: panels
(``add_side_panel``, ``add_dock``), menus (``add_menu``), actions that need an incident
(``add_incident_action``) and palette commands (every action in a menu, plus ``add_command``).
No feature imports the concrete window or reads its private attributes, so the window module
imports the features and never the other way round.

Every write a feature makes goes through ``local_write()``: the window refreshes its views and
emits ``sig_local_write``, which wakes sync, whichever feature wrote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, SignalInstance

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

    from commander.core.records import Incident
    from commander.services.deadlines import DeadlineService
    from commander.services.incidents import IncidentService
    from commander.services.people import PeopleService
    from commander.services.roster import RosterService
    from commander.services.workspace import Workspace
    from commander.ui.common.tasks import TaskRunner
    from commander.ui.features.comms.comms_feature import CommsFeature
    from commander.ui.features.incidents.incident_header import IncidentHeader
    from commander.ui.features.sync.install import SyncUi
    from commander.ui.features.timeline.timeline_panel import TimelinePanel
    from commander.ui.shell.notifier import Notifier


class FeatureHost(Protocol):
    """What a feature may ask of the window it is installed in.

    Attributes:
        sig_refreshing: a refresh runs (every second, and after local writes).
        sig_local_write: this window wrote to the workspace (any feature); sync wakes on it.
        sig_incident_changed(object): the selected incident changed (an ``Incident`` or None),
            emitted after the window shows it.
        sig_demo_loaded: the demo incident was loaded; features add their own demo data.
    """

    @property
    def sig_refreshing(self) -> SignalInstance: ...

    @property
    def sig_local_write(self) -> SignalInstance: ...

    @property
    def sig_incident_changed(self) -> SignalInstance: ...

    @property
    def sig_demo_loaded(self) -> SignalInstance: ...

    @property
    def workspace(self) -> Workspace: ...

    @property
    def incidents(self) -> IncidentService: ...

    @property
    def deadlines(self) -> DeadlineService: ...

    @property
    def roster_service(self) -> RosterService: ...

    @property
    def people_service(self) -> PeopleService: ...

    @property
    def tasks(self) -> TaskRunner: ...

    @property
    def notifier(self) -> Notifier: ...

    @property
    def timeline_panel(self) -> TimelinePanel: ...

    @property
    def header(self) -> IncidentHeader:
        """The selected incident's header; a feature may add a row to it (``add_row``)."""
        ...

    @property
    def sync_ui(self) -> SyncUi: ...

    @property
    def comms(self) -> CommsFeature: ...

    def main_window(self) -> QMainWindow:
        """The window itself, as a parent for dialogs and for its status and menu bars."""
        ...

    def current_incident(self) -> Incident | None: ...

    def select_incident(self, incident_id: str) -> None: ...

    def lists_incident(self, incident_id: str) -> bool:
        """Whether the incident list holds ``incident_id`` (so selecting it shows it)."""
        ...

    def show_current_incident(self) -> None:
        """Redraw the selected incident (after a display setting such as the time zone)."""
        ...

    def show_timeline_entry(self, entry_id: str) -> None:
        """The Timeline tab, scrolled to ``entry_id`` and with the keyboard in it."""
        ...

    def show_review(self) -> None:
        """The Review tab of the selected incident."""
        ...

    def show_runbook_step(self, key: str) -> None:
        """The Runbook tab, at step ``key`` if given."""
        ...

    def redraw_charts(self) -> None:
        """Draw the charts again (after a theme change)."""
        ...

    def show_alert_sound(self, on: bool) -> None:
        """Deadline alerts sound (or not), and View → Sound says so."""
        ...

    def show_author(self) -> None:
        """The status bar shows the workspace's author as it is now."""
        ...

    def refresh(self) -> None:
        """Show whatever changed (read only: after another process or a pull wrote)."""
        ...

    def local_write(self) -> None:
        """A feature wrote: refresh the views and wake sync."""
        ...

    def show_message(self, text: str, timeout_ms: int = 5000) -> None: ...

    def add_incident_action(self, *actions: QAction) -> None:
        """Actions enabled only while an incident is selected (enabled now if one is)."""
        ...

    def add_menu(self, title: str) -> QMenu:
        """A new menu on the menu bar, before Help."""
        ...

    def add_to_incident_menu(self, *actions: QAction) -> None:
        """Actions at the end of the Incident menu (before Quit, after a separator)."""
        ...

    def add_command(self, action: QAction) -> None:
        """An action in no menu that the command palette lists (the window owns it)."""
        ...

    def add_side_panel(self, panel: QWidget, title: str, index: int = -1) -> None:
        """A tab under the deadlines (roster, comms, questions ...)."""
        ...

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, height: int) -> None: ...
