"""Alerts and health in the main window: the dock, the Alerts menu, and the two workers.

One object so the window only installs it. Polling and checks run on the task runner on a
single-shot ``QTimer`` schedule, never on the GUI thread; a failing source backs off (30 s,
doubling, up to five minutes) and says so in one sentence; while the system reports no
network, nothing is polled and the panel says why. Alerts another process put in the workspace
(``commander alerts ingest``) appear within the window's next refresh: the cache's stamp is
compared once a second and the list re-read when it moved. Declaring from an alert is a local
write (milliseconds), done on the GUI thread like the Declare dialog's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QTabWidget

from commander.core.errors import CommanderError
from commander.core.health import CheckResult, CheckState
from commander.integrations.monitoring_settings import (
    MonitoringSettings,
    SourceTokens,
    load_monitoring_settings,
    save_monitoring_settings,
)
from commander.services.alerts import AlertService, IngestReport
from commander.services.health import HealthService, summary
from commander.ui.features.alerts.alert_menus import install_alert_menus
from commander.ui.features.alerts.alert_model import AlertModel
from commander.ui.features.alerts.alerts_panel import AlertsPanel
from commander.ui.features.alerts.health_model import HealthModel
from commander.ui.features.alerts.health_panel import HealthPanel
from commander.ui.features.alerts.monitoring_actions import MonitoringActions
from commander.ui.features.alerts.monitoring_dialog import MonitoringDialog

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost

RETRY_FIRST_S = 30
RETRY_MAX_S = 300
TAB_ALERTS, TAB_HEALTH = 0, 1


def reachability_offline() -> bool:
    """True only when the system positively reports no network (unknown counts as online)."""
    from PySide6.QtNetwork import QNetworkInformation

    if QNetworkInformation.instance() is None and not QNetworkInformation.loadDefaultBackend():
        return False
    info = QNetworkInformation.instance()
    if info is None:
        return False
    return info.reachability() == QNetworkInformation.Reachability.Disconnected


class MonitoringFeature(MonitoringActions, QObject):
    """Signals:
    sig_local_change: ops were written (an alert resolved on an incident); the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)
    # The Alerts menu and its actions (set by alert_menus.install_alert_menus).
    menu: QMenu
    action_toggle: QAction
    action_declare: QAction
    action_link: QAction
    action_poll: QAction
    action_check: QAction
    action_settings: QAction

    def __init__(
        self,
        host: FeatureHost,
        *,
        tokens: SourceTokens | None = None,
        offline: Any = reachability_offline,
        autostart: bool = True,
    ) -> None:
        window = host.main_window()
        super().__init__(window)
        self._host = host
        self._window = window
        workspace = self._ws = host.workspace
        self._tasks = host.tasks
        self._offline = offline
        incidents = self._incidents = host.incidents
        self.tokens = tokens or SourceTokens(data_dir=workspace.data_dir)
        self.settings = self._load_settings()
        self.alerts = AlertService(workspace, self.settings.mapping, incidents)
        self.health = HealthService(self.settings, workspace.clock)
        self.alert_model = AlertModel(workspace.zone, workspace.clock.now, self)
        self.health_model = HealthModel(self)
        self.poll_timer = QTimer(self)
        self.poll_timer.setSingleShot(True)
        self.poll_timer.timeout.connect(self.poll_now)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.timeout.connect(self.check_now)
        self.polling = self.checking = False
        self._failures = 0
        self._stamp: tuple[int, ...] | None = None
        self.dialog: MonitoringDialog | None = None
        self._setup_ui()
        self.reload()
        self.health_model.set_targets(self.settings.targets)
        self.dock.setVisible(self.settings.configured or self.alert_model.rowCount() > 0)
        window.installEventFilter(self)
        host.sig_demo_loaded.connect(self.load_demo)  # the window has loaded the demo incident
        if autostart:
            self.start()

    def _load_settings(self) -> MonitoringSettings:
        try:
            return load_monitoring_settings(self._ws.data_dir)
        except CommanderError as err:
            message = str(err)  # shown once the window has wired the signal
            QTimer.singleShot(0, lambda: self.sig_message.emit(message))
            return MonitoringSettings()

    def _setup_ui(self) -> None:
        window = self._window
        self.alerts_panel = AlertsPanel(self.alert_model, self._ws.zone, window)
        self.health_panel = HealthPanel(self.health_model, window)
        self.tabs = QTabWidget(window)
        self.tabs.setAccessibleName("Alerts and health")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.alerts_panel, "Alerts")
        self.tabs.addTab(self.health_panel, "Health")
        self.dock = QDockWidget("Alerts and health", window)
        self.dock.setObjectName("alerts_and_health_dock")
        self.dock.setAccessibleName("Alerts and health panel")
        self.dock.setWidget(self.tabs)
        self.dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea
        )
        self._host.add_dock(self.dock, Qt.DockWidgetArea.BottomDockWidgetArea, 230)
        self.alerts_panel.sig_declare_requested.connect(self.declare)
        self.alerts_panel.sig_link_requested.connect(self.link)
        self.alerts_panel.sig_poll_requested.connect(self.poll_now)
        self.health_panel.sig_check_requested.connect(self.check_now)
        self.health_panel.sig_declare_requested.connect(self.declare_from_check)
        install_alert_menus(self, window)
        self._host.sig_incident_changed.connect(lambda _incident: self._update_link())
        self._update_link()

    # -- state -----------------------------------------------------------------------------

    def reload(self) -> None:
        try:
            stamp = self.alerts.stamp()
            views = self.alerts.views()
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self._stamp = stamp
        self.alert_model.set_views(views)
        firing = self.alert_model.firing_count()
        self.tabs.setTabText(TAB_ALERTS, f"Alerts ({firing} firing)" if firing else "Alerts")

    def refresh_external(self) -> list[str]:
        """Show alerts written by another process; announce the ones that started firing.

        Returns:
            Fingerprints of alerts that started firing since the list was last read.
        """
        try:
            if self.alerts.stamp() == self._stamp:
                return []
        except CommanderError:
            return []
        before = self._firing()
        self.reload()
        new = [f for f in self._firing() if f not in before]
        if new:
            self._announce(new)
        if not self.settings.sources:
            when = self._ws.clock.now().astimezone(self._ws.zone).strftime("%H:%M")
            self.alerts_panel.set_status(f"{self._counts()} · received {when} (no sources polled)")
        return new

    def _firing(self) -> set[str]:
        views = (self.alert_model.view_at(r) for r in range(self.alert_model.rowCount()))
        return {v.alert.fingerprint for v in views if v.alert.state_text == "Firing"}

    def _update_link(self) -> None:
        can = self._host.current_incident() is not None
        self.alerts_panel.set_can_link(can)
        self.action_link.setEnabled(can)

    def start(self) -> None:
        if self.settings.sources:
            self.poll_timer.start(0)
            self.alerts_panel.set_status("Polling starts…")
        else:
            self.alerts_panel.set_status("No alert sources — Alerts → Sources and checks…")
        if self.settings.targets:
            self.check_timer.start(0)
            self.health_panel.set_status("Checks start…")

    def stop(self) -> None:
        self.poll_timer.stop()
        self.check_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    # -- polling ---------------------------------------------------------------------------

    def poll_now(self) -> None:
        """Poll every source on a worker; with none set up, say so (and show what is stored)."""
        if self.polling:
            return
        if not self.settings.sources:
            self.refresh_external()
            text = (
                "No alert sources are set up, so there is nothing to poll: add one in "
                "Alerts → Sources and checks…, or send alerts with 'commander alerts ingest'."
            )
            self.alerts_panel.set_status(text, error=True)
            self.sig_message.emit(text)
            return
        self.poll_timer.stop()
        if self._is_offline():
            self.alerts_panel.set_status(
                f"Offline — polling again in {RETRY_FIRST_S} s", error=True
            )
            self.poll_timer.start(RETRY_FIRST_S * 1000)
            return
        self.polling = True
        self.alerts_panel.poll_button.setEnabled(False)
        sources, timeout = self.settings.sources, self.settings.timeout_seconds
        tokens = self.tokens

        def work() -> IngestReport:
            return self.alerts.poll(sources, token_for=tokens.get, timeout=timeout)

        self._tasks.submit(work, self._on_polled, self._on_poll_failed)

    def _is_offline(self) -> bool:
        try:
            return bool(self._offline())
        except Exception:  # no backend: assume online and let the poll say what happened
            return False

    def _on_polled(self, report: IngestReport) -> None:
        self.polling = False
        self.alerts_panel.poll_button.setEnabled(True)
        self.reload()
        if report.changes:
            self.sig_local_change.emit()
        if report.new:
            self._announce(report.new)
        when = self._ws.clock.now().astimezone(self._ws.zone).strftime("%H:%M")
        counts = self._counts()
        if report.errors:
            self._failures += 1
            retry = min(RETRY_FIRST_S * 2 ** (self._failures - 1), RETRY_MAX_S)
            text = f"{report.errors[0]} — retrying in {retry} s"
            if len(report.errors) < len(self.settings.sources):
                text += f" ({counts}, polled {when} from the others)"
            self.alerts_panel.set_status(text, error=True)
            self.poll_timer.start(retry * 1000)
            return
        self._failures = 0
        n = len(self.settings.sources)
        noun = "source" if n == 1 else "sources"
        self.alerts_panel.set_status(f"{counts} · polled {when} from {n} {noun}")
        self.poll_timer.start(self.settings.poll_seconds * 1000)

    def _announce(self, fingerprints: list[str]) -> None:
        """A desktop notification naming what started firing, and the dock shown."""
        rows = [self.alert_model.row_of(f) for f in fingerprints]
        views = [self.alert_model.view_at(r) for r in rows if r is not None]
        active = [v for v in views if v.alert.state_text == "Firing"]
        if not active:
            return  # new but silenced or inhibited: someone already decided
        names = ", ".join(f"{v.severity} {v.alert.name}" for v in active[:3])
        more = f" and {len(active) - 3} more" if len(active) > 3 else ""
        noun = "alert" if len(active) == 1 else "alerts"
        self._host.notifier.notify(f"{len(active)} new {noun} firing", names + more)
        self.dock.show()

    def _on_poll_failed(self, error: Exception) -> None:
        self.polling = False
        self.alerts_panel.poll_button.setEnabled(True)
        self._failures += 1
        retry = min(RETRY_FIRST_S * 2 ** (self._failures - 1), RETRY_MAX_S)
        self.alerts_panel.set_status(f"Polling failed: {error} — retrying in {retry} s", error=True)
        self.poll_timer.start(retry * 1000)

    def _counts(self) -> str:
        views = [self.alert_model.view_at(r) for r in range(self.alert_model.rowCount())]
        firing = sum(1 for v in views if v.alert.state_text == "Firing")
        muted = sum(1 for v in views if v.alert.state_text in ("Silenced", "Inhibited"))
        text = f"{firing} firing"
        return text + (f", {muted} silenced or inhibited" if muted else "")

    # -- health ----------------------------------------------------------------------------

    def check_now(self) -> None:
        if self.checking or not self.settings.targets:
            return
        self.check_timer.stop()
        self.checking = True
        self.health_panel.set_busy(True)
        self._tasks.submit(self.health.check_all, self._on_checked, self._on_check_failed)

    def _on_checked(self, results: list[CheckResult]) -> None:
        self.checking = False
        self.health_panel.set_busy(False)
        self.health_model.set_results(results)
        bad = [r for r in results if r.state in (CheckState.CRITICAL, CheckState.FAILING)]
        when = self._ws.clock.now().astimezone(self._ws.zone).strftime("%H:%M")
        self.health_panel.set_status(f"{summary(results)} · checked {when}", error=bool(bad))
        attention = [r for r in results if r.state != CheckState.OK]
        title = f"Health ({len(attention)} need attention)" if attention else "Health"
        self.tabs.setTabText(TAB_HEALTH, title)
        flagged = [r for r in results if r.severity is not None and r.state == CheckState.CRITICAL]
        for result in flagged:
            self.sig_message.emit(f"{result.name}: {result.detail}")
        self.check_timer.start(self.settings.check_minutes * 60 * 1000)

    def _on_check_failed(self, error: Exception) -> None:
        self.checking = False
        self.health_panel.set_busy(False)
        self.health_panel.set_status(f"Checks failed: {error}", error=True)
        self.check_timer.start(self.settings.check_minutes * 60 * 1000)

    # -- settings --------------------------------------------------------------------------

    def open_settings(self) -> MonitoringDialog:
        def save(settings: MonitoringSettings) -> None:
            save_monitoring_settings(self._ws.data_dir, settings)

        dialog = MonitoringDialog(self.settings, self.tokens, save, self._window, tasks=self._tasks)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.result_value))
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    def apply_settings(self, settings: MonitoringSettings | None) -> None:
        if settings is None:
            return
        self.settings = settings
        self.alerts.mapping = settings.mapping
        self.health.settings = settings
        self.health_model.set_targets(settings.targets)
        self._failures = 0
        self.reload()
        if settings.configured:
            self.dock.show()
        self.stop()
        self.start()
        self.sig_message.emit("Alert sources and health checks saved")


def install_monitoring(host: FeatureHost) -> MonitoringFeature:
    """Add the Alerts and health dock and the Alerts menu to the host window."""
    feature = MonitoringFeature(host)
    host.sig_refreshing.connect(feature.refresh_external)
    feature.sig_local_change.connect(host.local_write)
    feature.sig_message.connect(lambda text: host.show_message(text, 8000))
    return feature
