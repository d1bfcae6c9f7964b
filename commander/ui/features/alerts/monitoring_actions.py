"""Acting on an alert or a failed check: declare an incident from it, link it to the selected
incident, or load the demo's alerts. Kept apart from ``monitoring_feature``, which watches
(polls sources, runs checks, backs off); these run on a click, as local writes on the GUI
thread like the Declare dialog's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from commander.core.errors import CommanderError
from commander.core.health import CheckResult
from commander.services.health import declare_from_check

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from commander.services.alerts import AlertService
    from commander.services.incidents import IncidentService
    from commander.services.workspace import Workspace
    from commander.ui.features.alerts.alerts_panel import AlertsPanel
    from commander.ui.shell.feature_host import FeatureHost


class MonitoringActions:
    """The click handlers of ``MonitoringFeature``, which provides the attributes below."""

    _host: FeatureHost
    _ws: Workspace
    _incidents: IncidentService
    alerts: AlertService
    alerts_panel: AlertsPanel
    dock: QDockWidget
    sig_message: Any  # the feature's Signal(str)
    reload: Callable[[], None]  # re-reads the alert list

    def declare_selected(self) -> str | None:
        view = self.alerts_panel.selected()
        return self.declare(view.alert.fingerprint) if view is not None else None

    def declare(self, fingerprint: str) -> str | None:
        """One click: the incident, its link to the alert, "Alert fired" on its timeline."""
        try:
            result = self.alerts.declare_from_alert(fingerprint)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return None
        self.reload()
        self._host.local_write()
        self._host.select_incident(result.incident.id)
        self.sig_message.emit(
            f"{result.incident.ref} declared from alert {result.alert.name} ({result.reason})"
        )
        return result.incident.id

    def declare_from_check(self, result: CheckResult) -> str | None:
        try:
            declared = declare_from_check(self._incidents, result)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return None
        self._host.local_write()
        self._host.select_incident(declared.incident.id)
        self.sig_message.emit(f"{declared.incident.ref} declared from check {result.name}")
        return declared.incident.id

    def link_selected(self) -> None:
        view = self.alerts_panel.selected()
        if view is not None:
            self.link(view.alert.fingerprint)

    def link(self, fingerprint: str) -> None:
        incident = self._host.current_incident()
        if incident is None:
            self.sig_message.emit("Select an incident to link the alert to.")
            return
        try:
            self.alerts.link(fingerprint, incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.reload()
        self._host.local_write()
        self.sig_message.emit(f"Alert linked to {incident.ref}")

    def load_demo(self) -> None:
        from commander.services.demo.alerts import add_demo_alerts  # rarely used

        try:
            added = add_demo_alerts(self._ws, self.alerts)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        if added:
            self.reload()
            self._host.local_write()
            self.dock.show()
