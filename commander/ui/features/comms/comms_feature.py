"""Communication in the main window: the Comms menu, the composer, the outbox tab.

One object so the main window only wires it: it owns the comms and outbox services, the
delivery engine and the outbox panel, opens the composer (Ctrl+U), the template editor and the
channel settings, and tells the window when a delivery changed the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget
from shiboken6 import isValid

from commander.core.channels import Channel
from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.integrations.channel_ready import channel_readiness
from commander.integrations.channel_settings import ChannelSecrets, load_channel_settings
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService
from commander.services.delivery import comms_for, engine_for
from commander.services.outbox import OutboxService
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.comms.outbox_panel import OutboxPanel

if TYPE_CHECKING:  # the dialogs are imported when opened: they pull in the templates, jinja2
    from commander.ui.features.comms.channel_settings_dialog import ChannelSettingsDialog
    from commander.ui.features.comms.composer_dialog import ComposerDialog
    from commander.ui.features.comms.template_dialog import TemplateDialog


class CommsFeature(QObject):
    """Signals:
    sig_local_change: ops were written (a delivery logged); the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        deadlines: DeadlineService,
        tasks: TaskRunner,
        parent: QWidget,
        *,
        secrets: ChannelSecrets | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._parent = parent
        self._tasks = tasks
        self.secrets = secrets or ChannelSecrets(workspace.data_dir)
        try:
            self.comms = comms_for(workspace, deadlines)
        except CommanderError as err:  # a damaged channels.json: payloads use defaults
            self.comms = CommsService(workspace, deadlines)
            self.sig_message.emit(str(err))
        self.outbox = OutboxService(workspace, self.comms, deadlines)
        self.engine = engine_for(self.outbox, self.secrets)
        self.outbox_panel = OutboxPanel(self.outbox, self.engine, tasks, workspace.zone, parent)
        self.outbox_panel.sig_local_change.connect(self.sig_local_change)
        self.outbox_panel.sig_message.connect(self.sig_message)
        self._incident: Incident | None = None
        self.dialog: QWidget | None = None
        self.composer: ComposerDialog | None = None  # kept while its Channels dialog is open

    def add_menu(self, menu: QMenu) -> list:  # type: ignore[type-arg]
        """Fill the Comms menu; returns the actions that need an incident."""
        compose = menu.addAction("&Compose update…")
        compose.setShortcut("Ctrl+U")
        compose.triggered.connect(self.compose)
        menu.addSeparator()
        templates = menu.addAction("&Templates…")
        templates.triggered.connect(self.edit_templates)
        channels = menu.addAction("C&hannels…")
        channels.triggered.connect(self.edit_channels)
        self.action_compose = compose
        return [compose]

    def set_incident(self, incident: Incident | None) -> None:
        self._incident = incident
        self.outbox_panel.set_incident(incident)

    def _open(self, dialog: QWidget) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.show()

    def compose(self) -> ComposerDialog | None:
        if self._incident is None:
            return None
        from commander.ui.features.comms.composer_dialog import ComposerDialog

        try:
            dialog = ComposerDialog(
                self.comms,
                self.outbox,
                self._incident,
                self._parent,
                readiness=self.readiness,
                tasks=self._tasks,
            )
        except CommanderError as err:
            QMessageBox.warning(self._parent, "Compose update", str(err))
            return None
        dialog.sig_queued.connect(lambda _id: self._on_queued())
        dialog.sig_message.connect(self.sig_message)
        dialog.sig_setup_channels.connect(lambda: self._setup_channels_for(dialog))
        if self.composer is not None:
            self.composer.deleteLater()
            self.composer = None
        self._open(dialog)
        return dialog

    def readiness(self) -> dict[Channel, str | None]:
        """Which channels can deliver now (reads channels.json and the keyring: a worker's job)."""
        settings = load_channel_settings(self._ws.data_dir)
        return channel_readiness(settings=settings, secrets=self.secrets)

    def _setup_channels_for(self, composer: ComposerDialog) -> ChannelSettingsDialog:
        """The Channels dialog over the composer, which stays open and then checks again."""
        if self.dialog is composer:
            self.composer, self.dialog = composer, None  # not replaced by the Channels dialog
        dialog = self.edit_channels()

        def refresh(_code: int) -> None:
            if isValid(composer):
                composer.refresh_readiness()

        dialog.finished.connect(refresh)
        return dialog

    def _on_queued(self) -> None:
        self.outbox_panel.reload()
        self.outbox_panel.deliver_now()

    def edit_templates(self) -> TemplateDialog:
        from commander.ui.features.comms.template_dialog import TemplateDialog

        dialog = TemplateDialog(self.comms, self._parent)
        dialog.accepted.connect(lambda: self.sig_message.emit("Templates saved"))
        self._open(dialog)
        return dialog

    def edit_channels(self) -> ChannelSettingsDialog:
        from commander.ui.features.comms.channel_settings_dialog import ChannelSettingsDialog

        dialog = ChannelSettingsDialog(
            self._ws.data_dir,
            self.secrets,
            self._tasks,
            self._ws.clock.now,
            self._parent,
            exercise=self._ws.exercise is not None,
        )
        dialog.accepted.connect(self._on_channels_saved)
        self._open(dialog)
        return dialog

    def _on_channels_saved(self) -> None:
        try:
            settings = load_channel_settings(self._ws.data_dir)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.comms.statuspage_impact = settings.statuspage_impact
        self.comms.component_status = settings.statuspage_component_status
        self.comms.component_ids = settings.statuspage_component_ids
        self.sig_message.emit("Channels saved")

    def stop(self) -> None:
        self.outbox_panel.stop()
