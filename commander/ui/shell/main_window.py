"""The main window: a shell that wires the incident list, header and timeline, and the menus.

Every change reaches the views through ``refresh()``: it asks the service what changed since
the last sequence number it saw and updates only that. A 1 s timer calls it (the CLI, sync);
local writes call ``local_write()`` (refresh, then wake sync). A write whose ChangeSet the
panel already applied (quick entry) goes through ``apply_own``: the views take it as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.records import ChangeSet, Incident
from commander.services.briefing import BriefingService
from commander.services.charts import ChartDataService
from commander.services.deadlines import DeadlineService, deadline_service_for
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.ui.common.empty_state import EmptyState
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.charts.charts_panel import ChartsPanel
from commander.ui.features.checklists.checklists_feature import ChecklistsFeature
from commander.ui.features.comms.comms_feature import CommsFeature
from commander.ui.features.deadlines.deadline_model import DeadlineModel
from commander.ui.features.deadlines.deadlines_panel import DeadlinesPanel
from commander.ui.features.incidents.incident_commands import IncidentCommands
from commander.ui.features.incidents.incident_header import IncidentHeader
from commander.ui.features.incidents.incident_list_model import (
    COL_TITLE,
    IncidentListModel,
)
from commander.ui.features.incidents.incident_list_view import make_incident_view
from commander.ui.features.reports.report_export import ReportExporter
from commander.ui.features.roster.roster_panel import RosterPanel
from commander.ui.features.sync.install import install_sync
from commander.ui.features.timeline.timeline_model import TimelineModel
from commander.ui.features.timeline.timeline_panel import TimelinePanel
from commander.ui.shell.deferred_startup import DeferredStartup
from commander.ui.shell.main_menus import install_menus
from commander.ui.shell.notifier import Notifier
from commander.ui.shell.preferences_ui import install_preferences
from commander.ui.shell.shell_actions import ShellActions
from commander.ui.shell.shell_layout import ShellLayout, prepare_deadline_columns

if TYPE_CHECKING:  # built after the first paint (DeferredStartup), imported then
    from commander.ui.features.alerts.monitoring_feature import MonitoringFeature
    from commander.ui.features.review.review_feature import ReviewFeature
    from commander.ui.features.slack.slack_feature import SlackFeature

POLL_INTERVAL_MS = 1000
PAGE_EMPTY, PAGE_INCIDENT = 0, 1


class MainWindow(ShellActions):
    """Incident list on the left; the selected incident's header and timeline on the right.

    Signals:
        sig_refreshing: a refresh runs (every second, and after local writes); features whose
            data other processes write without ops (the alert cache) check it then.
    It is the ``FeatureHost`` (ui/shell/feature_host.py) every feature is installed through.
    """

    sig_refreshing = Signal()

    def __init__(
        self,
        workspace: Workspace,
        service: IncidentService,
        settings: QSettings | None = None,
        deadlines: DeadlineService | None = None,
    ) -> None:
        super().__init__()
        self._ws = workspace
        self._service = service
        self._deadlines = deadlines or deadline_service_for(workspace)
        self._settings = settings if settings is not None else QSettings("Commander", "Commander")
        self._last_seq = service.last_seq()
        self._own_seqs: set[int] = set()  # own ops already applied, not yet passed by a poll
        self.incident_commands = IncidentCommands(self, service, workspace, self._deadlines)
        self.incident_model = IncidentListModel(self)
        self.timeline_model = TimelineModel(workspace.zone, self)
        self.poll_timer = QTimer(self)
        self.tasks = TaskRunner(self)
        self._setup_ui()
        install_menus(self)
        self.incident_model.show(service.listing())
        self._select_first_or_empty()
        self.poll_timer.setInterval(POLL_INTERVAL_MS)
        self.poll_timer.timeout.connect(self.refresh)
        self.poll_timer.start()
        self.sync_ui = install_sync(self)  # Sync menu, status, worker
        self.prefs_ui = install_preferences(self, workspace, self._deadlines, self._settings)
        # Behind a tab and in a dock: built after the first paint, or when first asked for.
        self.startup = DeferredStartup(self)
        self.startup.add("review", self._build_review)  # Review tab and menu
        self.startup.add("monitoring", self._build_monitoring)  # Alerts dock and menu
        self.startup.add("slack", self._build_slack)  # Slack channel import
        self.startup.start()

    def _build_review(self) -> None:
        from commander.ui.features.review.review_feature import ReviewFeature

        self._review = ReviewFeature(self)

    def _build_monitoring(self) -> None:
        from commander.ui.features.alerts.monitoring_feature import install_monitoring

        self._monitoring = install_monitoring(self)

    def _build_slack(self) -> None:
        from commander.ui.features.slack.slack_feature import install_slack

        self._slack = install_slack(self)

    @property
    def slack(self) -> SlackFeature:
        """The Slack channel import (built now if the loop has not got to it yet)."""
        self.startup.ensure("slack")
        return self._slack

    def load_demo(self) -> None:
        """Load the demo incident; the alerts dock (built now if it was not yet) adds its demo
        alerts on ``sig_demo_loaded``."""
        self.startup.finish()
        self.incident_commands.load_demo()
        self.sig_demo_loaded.emit()

    @property
    def review(self) -> ReviewFeature:
        """The Review tab, menu and dialogs (built now if the loop has not got to it yet)."""
        self.startup.ensure("review")
        return self._review

    @property
    def monitoring(self) -> MonitoringFeature:
        """The Alerts and health dock and the Alerts menu (built now if not yet)."""
        self.startup.ensure("monitoring")
        return self._monitoring

    # -- building --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setWindowTitle("Commander")
        self.setAccessibleName("Commander")
        self.incident_view = make_incident_view(self.incident_model, self)
        self.incident_view.selectionModel().currentRowChanged.connect(self._on_incident_changed)

        self.empty_state = EmptyState(self)
        self.header = IncidentHeader(self._ws.clock, self)
        self.timeline_panel: TimelinePanel = TimelinePanel(
            self._service, self.timeline_model, self.tasks, self
        )
        self.deadline_model = DeadlineModel(self._deadlines, self._ws.zone, self)
        self.deadlines_panel: DeadlinesPanel = DeadlinesPanel(
            self._deadlines, self._ws.clock, self.deadline_model, self
        )
        self.charts_panel = ChartsPanel(
            ChartDataService(self._ws, self._deadlines), ImpactService(self._ws), self.tasks, self
        )
        self.notifier = Notifier(self)
        self.comms = CommsFeature(self._ws, self._deadlines, self.tasks, self)
        self.reports = ReportExporter(self._ws, self._deadlines, self.tasks, self)
        self.notifier.sound = bool(self._settings.value("alerts/sound", False, type=bool))
        # The right column: deadlines on top, feature panels (roster, comms ...) as tabs below.
        self.side_tabs = QTabWidget(self)
        self.side_tabs.setAccessibleName("Incident panels")
        self.side_tabs.setDocumentMode(True)
        self.side_column = QSplitter(Qt.Orientation.Vertical, self)
        self.side_column.setAccessibleName("Deadlines and panels")
        self.side_column.addWidget(self.deadlines_panel)
        self.side_column.addWidget(self.side_tabs)
        self.side_column.setChildrenCollapsible(False)
        self.side_tabs.hide()  # shown once a feature adds a tab (add_side_panel)
        self.roster_service = RosterService(self._ws)
        self.people_service = PeopleService(self._ws)
        self.roster_panel = RosterPanel(
            self.roster_service,
            self.people_service,
            BriefingService(self._ws, self.roster_service, self._deadlines),
            self._ws.zone,
            self,
        )
        self.add_side_panel(self.roster_panel, "Roster")
        work = QSplitter(Qt.Orientation.Horizontal, self)
        work.setAccessibleName("Timeline and deadlines")
        work.addWidget(self.timeline_panel)
        work.addWidget(self.side_column)
        work.setStretchFactor(0, 1)
        work.setSizes([600, 440])
        work.setChildrenCollapsible(False)
        self.work_splitter: QSplitter = work
        incident_page = QWidget(self)
        page_layout = QVBoxLayout(incident_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self.header)
        page_layout.addWidget(work, 1)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(incident_page)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setAccessibleName("Incidents and timeline")
        splitter.addWidget(self.incident_view)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 1000])
        splitter.setChildrenCollapsible(False)
        self.main_splitter = splitter
        self.setCentralWidget(splitter)

        self.path_label = self._status_label(str(self._ws.path), "Workspace path")
        self.author_label = self._status_label(f"Author: {self._ws.author}", "Author")

        self.empty_state.sig_declare_requested.connect(self.incident_commands.declare)
        self.empty_state.sig_demo_requested.connect(self.load_demo)
        self.incident_commands.sig_message.connect(self.show_message)
        self.timeline_panel.sig_local_change.connect(self.local_write)
        self.timeline_panel.sig_own_change.connect(self.apply_own)
        self.timeline_panel.sig_message.connect(self.show_message)
        self.deadlines_panel.sig_local_change.connect(self.local_write)
        self.deadlines_panel.sig_message.connect(self.show_message)
        self.deadlines_panel.sig_alert.connect(self.notifier.notify)
        self.roster_panel.sig_local_change.connect(self.local_write)
        self.roster_panel.sig_message.connect(self.show_message)
        self.comms.sig_local_change.connect(self.local_write)
        self.comms.sig_message.connect(self.show_message)
        self.add_side_panel(self.comms.outbox_panel, "Outbox")
        self.add_side_panel(self.charts_panel, "Charts")
        self.charts_panel.sig_local_change.connect(self.local_write)
        self.charts_panel.sig_message.connect(self.show_message)
        self.checklists = ChecklistsFeature(self._ws, self)
        self.checklists.install(self)
        self.checklists.sig_local_change.connect(self.local_write)
        self.checklists.sig_message.connect(self.show_message)
        prepare_deadline_columns(self.deadlines_panel.table)
        self.shell_layout = ShellLayout(self)  # fits 1280x800: folds panes, sizes columns
        self.resize(1280, 800)
        geometry = self._settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def _status_label(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setAccessibleName(name)
        self.statusBar().addPermanentWidget(label)
        return label

    # -- selection -------------------------------------------------------------------------

    def current_incident(self) -> Incident | None:
        return self.header.incident

    def select_incident(self, incident_id: str) -> None:
        row = self.incident_model.row_of(incident_id)
        if row is None:
            return
        self.incident_view.selectionModel().setCurrentIndex(
            self.incident_model.index(row, COL_TITLE),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _select_first_or_empty(self) -> None:
        if self.incident_model.rowCount() and self.current_incident() is None:
            self.select_incident(self.incident_model.incident_at(0).id)
        else:
            self._show_incident(self.current_incident())

    def _on_incident_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        incident = self.incident_model.incident_at(current.row()) if current.isValid() else None
        shown = self.current_incident()
        if incident is not None and shown is not None and incident.id == shown.id:
            return
        self._show_incident(incident)
        if incident is not None:
            self.timeline_panel.set_incident(incident)

    def show_current_incident(self) -> None:
        """Redraw the selected incident (after a display setting such as the time zone)."""
        self._show_incident(self.current_incident())
        self.deadlines_panel.reload()

    def _show_incident(self, incident: Incident | None) -> None:
        self.deadlines_panel.set_incident(incident)
        self.roster_panel.set_incident(incident)
        self.comms.set_incident(incident)
        self.checklists.set_incident(incident)
        shown = self.charts_panel.incident
        if incident is None or shown is None or shown.id != incident.id:
            self.charts_panel.set_incident(incident)
        if incident is None:
            self.header.set_incident(None)
            self.timeline_panel.set_incident(None)
        else:
            self.header.set_incident(
                incident,
                declared_text=f"{incident.declared_at.astimezone(self._ws.zone):%Y-%m-%d %H:%M}",
                resolved_at=self.deadlines_panel.resolved_at(),
            )
        self.stack.setCurrentIndex(PAGE_INCIDENT if incident else PAGE_EMPTY)
        self.set_incident_actions_enabled(incident is not None)
        self.setWindowTitle(f"{incident.ref} — Commander" if incident else "Commander")
        self.sig_incident_changed.emit(incident)

    def add_side_panel(self, panel: QWidget, title: str, index: int = -1) -> None:
        """Add a feature's panel as a tab under the deadlines (roster, comms ...)."""
        self.side_tabs.insertTab(index, panel, title)
        self.side_tabs.show()

    def local_write(self) -> None:
        """A feature wrote: show it, and wake sync to push it."""
        self.refresh()
        self.sig_local_write.emit()

    def show_review(self) -> None:
        self.review.show_review()

    def show_timeline_entry(self, entry_id: str) -> None:
        self.review.show_timeline()
        self.timeline_panel.reveal_entry(entry_id)
        self.timeline_panel.table.setFocus()

    # -- the one refresh path ----------------------------------------------------------------

    def refresh(self) -> None:
        """Apply whatever changed since the last refresh, from this window or elsewhere."""
        self.sig_refreshing.emit()
        try:
            changes = self._service.changes_since(self._last_seq, self._own_seqs)
        except CommanderError as err:
            self.show_message(str(err))
            return
        self._pass(changes.last_seq)
        if changes:
            self._apply(changes, timeline=True)

    def apply_own(self, changes: ChangeSet) -> None:
        """A write of this window whose timeline entries its panel already shows."""
        self.sig_local_write.emit()
        if changes.seqs and min(changes.seqs) == self._last_seq + 1 and not self._own_seqs:
            self._pass(max(changes.seqs))  # nobody wrote in between: nothing to skip later
        else:
            self._own_seqs.update(changes.seqs)
        if changes:
            self._apply(changes, timeline=False)

    def _pass(self, seq: int) -> None:
        """The poll has seen every op up to ``seq``; own ops up to it need no skipping."""
        self._last_seq = max(self._last_seq, seq)
        if self._own_seqs:
            self._own_seqs = {s for s in self._own_seqs if s > self._last_seq}

    def _apply(self, changes: ChangeSet, *, timeline: bool) -> None:
        self.checklists.apply_changes(changes)
        if changes.records_changed:  # an incident declared or changed: the list and header
            self.incident_model.show(self._service.listing())
        current = self.current_incident()
        if current is None:
            self._select_first_or_empty()
            return
        if current.id in changes.records_changed:
            row = self.incident_model.row_of(current.id)
            if row is not None:
                self._show_incident(self.incident_model.incident_at(row))
        if timeline and current.id in changes.entry_ids:
            self.timeline_panel.apply_entry_changes(changes.entry_ids[current.id])
        if current.id in changes.incident_ids:
            self.charts_panel.data_changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.poll_timer.stop()
        self.comms.stop()
        self.tasks.wait()
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)
