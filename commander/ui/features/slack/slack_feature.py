"""Slack channels in the main window: *Connect Slack channel…* and *Disconnect Slack
channel* in the Incident menu, the periodic import, and its word in the status bar.

Every pass (reading Slack, the keyring, writing entries) runs on the task runner, never on
the GUI thread; one pass at a time, every ``PASS_INTERVAL_S`` while some incident of this
workspace is connected. A pass that failed (offline, rate limited) says so in one sentence
in the status bar and the next pass continues from the same cursor, so the channel catches
up once Slack answers again.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from commander.core.errors import CommanderError
from commander.integrations.slack_token import SlackToken
from commander.services.slack_import import SlackImportService
from commander.services.slack_link import PullReport, SlackLink
from commander.ui.features.slack.slack_dialog import SlackDialog

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost

PASS_INTERVAL_S = 60


class SlackFeature(QObject):
    """Signals:
    sig_local_change: a pass logged entries; the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        host: FeatureHost,
        *,
        tokens: SlackToken | None = None,
        autostart: bool = True,
    ) -> None:
        window = host.main_window()
        super().__init__(window)
        self._host = host
        self._window = window
        workspace = self._ws = host.workspace
        self._tasks = host.tasks
        self.tokens = tokens or SlackToken(data_dir=workspace.data_dir)
        # max_wait 0: a rate limit ends the pass instead of holding a shared worker asleep.
        self.service = SlackImportService(
            workspace, token=self.tokens.get, sleep=time.sleep, max_wait=0
        )
        self.running = False
        self.dialog: SlackDialog | None = None
        self.status_label = QLabel("", window)
        self.status_label.setAccessibleName("Slack import")
        self.status_label.hide()
        window.statusBar().addPermanentWidget(self.status_label)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.pass_now)
        self.action_connect = QAction("Connect S&lack channel…", window)
        self.action_connect.triggered.connect(self.open_connect)
        self.action_disconnect = QAction("Disconnect Slack channel", window)
        self.action_disconnect.triggered.connect(self.disconnect_current)
        if autostart and self.service.links():
            self.timer.start(0)

    # -- connecting ------------------------------------------------------------------------

    def open_connect(self) -> SlackDialog | None:
        incident = self._host.current_incident()
        if incident is None:
            return None
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = SlackDialog(
            incident,
            self.service,
            self.tokens,
            self._tasks,
            self._window,
            current=self.service.link(incident.id),
        )
        self.dialog.accepted.connect(self._on_connected)
        self.dialog.open()
        return self.dialog

    def _on_connected(self) -> None:
        link = self.dialog.result_value if self.dialog else None
        if isinstance(link, SlackLink):
            self.sig_message.emit(f"Connected: {link.describe}; reading it now.")
            self.pass_now()

    def disconnect_current(self) -> None:
        incident = self._host.current_incident()
        if incident is None:
            return
        try:
            link = self.service.disconnect(incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.sig_message.emit(f"Disconnected from Slack channel {link.channel}; entries stay.")

    # -- passes ----------------------------------------------------------------------------

    def pass_now(self) -> None:
        """One import pass over every connected incident, on a worker."""
        if self.running:
            return
        self.timer.stop()
        self.running = True
        self._tasks.submit(self.service.pull_all, self._on_done, self._on_failed)

    def _on_done(self, reports: list[PullReport]) -> None:
        self.running = False
        if any(r.changes for r in reports):
            self.sig_local_change.emit()
        errors = [r.error for r in reports if r.error]
        logged = sum(r.logged for r in reports)
        when = self._ws.clock.now().astimezone(self._ws.zone).strftime("%H:%M")
        if errors:
            self.status_label.setText(f"Slack: {errors[0]}")
        elif reports:
            self.status_label.setText(f"Slack: {logged} logged · read {when}")
        self.status_label.setVisible(bool(reports))
        if logged:
            self.sig_message.emit(f"Slack: {logged} message(s) logged.")
        self._schedule()

    def _on_failed(self, error: Exception) -> None:
        self.running = False
        self.status_label.setText(f"Slack: {error}")
        self.status_label.show()
        self._schedule()

    def _schedule(self) -> None:
        self.timer.start(PASS_INTERVAL_S * 1000)

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop()  # no pass starts while the window closes (it waits for a running one)
        return False


def install_slack(host: FeatureHost) -> SlackFeature:
    """Add the Slack actions to the Incident menu and start the periodic import."""
    feature = SlackFeature(host)
    host.add_to_incident_menu(feature.action_connect, feature.action_disconnect)
    host.add_incident_action(feature.action_connect, feature.action_disconnect)
    host.main_window().installEventFilter(feature)
    feature.sig_local_change.connect(host.local_write)
    feature.sig_message.connect(lambda text: host.show_message(text, 8000))
    return feature
