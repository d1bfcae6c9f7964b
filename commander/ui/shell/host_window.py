"""The window side of the feature interface: menus, docks, incident actions, messages.

``MainWindow`` builds on it; the features only see the ``FeatureHost`` protocol.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace


class HostWindow(QMainWindow):
    """The parts of ``FeatureHost`` that need no services (see ui/shell/feature_host.py).

    Signals:
        sig_local_write: a feature of this window wrote; sync wakes on it.
        sig_incident_changed(object): the selected incident (or None) is now shown.
        sig_demo_loaded: the demo incident was loaded; features add their own demo data.
    """

    sig_local_write = Signal()
    sig_incident_changed = Signal(object)
    sig_demo_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incident_actions: list[QAction] = []  # enabled while an incident is selected
        self._incident_shown = False

    incident_menu: QMenu  # the menus set these (main_menus.py)
    action_quit: QAction
    _ws: Workspace
    _service: IncidentService
    _deadlines: DeadlineService

    @property
    def workspace(self) -> Workspace:
        return self._ws

    @property
    def incidents(self) -> IncidentService:
        return self._service

    @property
    def deadlines(self) -> DeadlineService:
        return self._deadlines

    def set_incident_actions_enabled(self, on: bool) -> None:
        """Enable the incident actions, as the window selects or clears an incident."""
        self._incident_shown = on
        for action in self._incident_actions:
            action.setEnabled(on)

    def main_window(self) -> QMainWindow:
        return self

    def show_message(self, text: str, timeout_ms: int = 5000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def add_incident_action(self, *actions: QAction) -> None:
        self._incident_actions.extend(actions)
        for action in actions:
            action.setEnabled(self._incident_shown)

    def add_menu(self, title: str) -> QMenu:
        bar = self.menuBar()
        menu = QMenu(title, self)
        help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_action is not None:
            bar.insertMenu(help_action, menu)  # keep Help last
        else:
            bar.addMenu(menu)
        return menu

    def add_to_incident_menu(self, *actions: QAction) -> None:
        for action in actions:
            self.incident_menu.insertAction(self.action_quit, action)
        self.incident_menu.insertSeparator(self.action_quit)

    def add_command(self, action: QAction) -> None:
        self.addAction(action)

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, height: int) -> None:
        self.addDockWidget(area, dock)
        self.resizeDocks([dock], [height], Qt.Orientation.Vertical)
