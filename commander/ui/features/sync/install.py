"""Wire sync into the main window: the Sync menu, the status widget, refresh on pull.

The window calls ``install_sync(self)`` once; everything else about sync lives here, so the
main window stays a shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMessageBox

from commander.core.errors import CommanderError
from commander.integrations.secrets import (
    InsecureKeyring,
    Keeper,
    SecretStore,
    SecretsUnavailable,
)
from commander.services.nodes import sync_problems
from commander.services.workspace import Workspace
from commander.sync.status import SyncStatus
from commander.sync.url import ServerUrl
from commander.ui.features.sync.bundle_actions import BundleActions
from commander.ui.features.sync.connect_dialog import ConnectDialog, ConnectForm
from commander.ui.features.sync.controller import SyncController
from commander.ui.features.sync.peer_dialog import PeerDialog
from commander.ui.features.sync.peer_session import PeerSession
from commander.ui.features.sync.peer_status import PeerStatusWidget
from commander.ui.features.sync.problems_dialog import SyncProblemsDialog
from commander.ui.features.sync.status_widget import SyncStatusWidget
from commander.ui.shell.secrets_question import ask_insecure

if TYPE_CHECKING:
    from commander.sync.engine import PullResult
    from commander.ui.shell.feature_host import FeatureHost


class SyncUi(QObject):
    """The sync menu actions, status widget and controller of one main window."""

    def __init__(
        self,
        host: FeatureHost,
        workspace: Workspace,
        *,
        secrets: SecretStore | None = None,
        autostart: bool = True,
    ) -> None:
        window = host.main_window()
        super().__init__(window)
        self._host = host
        self._window = window
        self.secrets = secrets or SecretStore(data_dir=workspace.data_dir)
        self.controller = SyncController(workspace, self.secrets, self)
        self.status_widget = SyncStatusWidget(window)
        self.dialog: ConnectDialog | None = None
        self.question: QMessageBox | None = None
        self._tasks = host.tasks
        window.statusBar().addPermanentWidget(self.status_widget)
        self.peer_status = PeerStatusWidget(workspace, self._tasks, window)
        window.statusBar().addPermanentWidget(self.peer_status)
        bar = window.menuBar()
        menu = bar.addMenu("&Sync")
        last = bar.actions()[-2] if len(bar.actions()) > 1 else None
        if last is not None and last.text().replace("&", "") == "Help":
            bar.insertMenu(last, menu)  # keep Help last
        self.action_connect = menu.addAction("&Connect to shared database…")
        self.action_connect.triggered.connect(self.open_connect_dialog)
        self.action_sync_now = menu.addAction("Sync &now")
        self.action_sync_now.triggered.connect(self.controller.wake)
        self.action_disconnect = menu.addAction("&Disconnect")
        self.action_disconnect.triggered.connect(self.disconnect_server)
        menu.addSeparator()
        self.action_problems = menu.addAction("Sync &problems…")
        self.action_problems.triggered.connect(self.open_problems)
        self.problems_dialog: SyncProblemsDialog | None = None
        self._workspace = workspace
        self.peers = PeerSession(workspace, self)
        self.peer_dialog: PeerDialog | None = None
        self.action_peers = menu.addAction("&Laptop to laptop…")
        self.action_peers.triggered.connect(self.open_peers)
        self.peers.sig_changes.connect(self._on_bundle_imported)
        self.peers.sig_message.connect(self._show_message)
        self.peers.sig_pending.connect(self._show_message)
        self.peers.sig_peers.connect(lambda _peers: self.peer_status.refresh())
        self.peer_status.sig_clicked.connect(self.open_peers)
        menu.addSeparator()
        self.bundles = BundleActions(window, workspace, menu, self._tasks, self._current_id)
        self.bundles.sig_imported.connect(self._on_bundle_imported)
        self.bundles.sig_message.connect(self._show_message)
        self.status_widget.sig_problems_clicked.connect(self.open_problems)
        self.controller.sig_status.connect(self.status_widget.set_status)
        self.controller.sig_status.connect(self._on_status)
        self.controller.sig_pulled.connect(self._on_pulled)
        self.controller.sig_stopped.connect(self._update_actions)
        host.sig_local_write.connect(self.controller.wake)  # whichever feature wrote
        host.timeline_panel.capture.sig_bundles.connect(self.bundles.import_paths)
        window.installEventFilter(self)
        self._no_store_note: str | None = None
        self._learn_store()
        if autostart:
            self._start_saved()
        self.peers.start(autostart=autostart)
        self._update_actions()

    def _learn_store(self) -> None:
        """Whether a password could be remembered, asked on a worker for the next dialog."""
        secrets = self.secrets

        def known(refusal: object) -> None:
            self._no_store_note = str(refusal) if isinstance(refusal, SecretsUnavailable) else None

        # A failure here shows when the password is stored, with its reason.
        self._tasks.submit(secrets.refusal, known, lambda _err: None)

    def _start_saved(self) -> None:
        """Reconnect to the server used last time; its password is read on a worker."""
        try:
            url = self.controller.saved_url()
            server = ServerUrl.parse(url) if url else None
        except CommanderError as err:
            self._window.statusBar().showMessage(f"Sync: {err}", 8000)
            return
        if server is None:
            return
        secrets = self.secrets

        def started(password: str | None) -> None:
            if not self.controller.running:  # not connected elsewhere meanwhile
                self.controller.start(server, password)
            self._update_actions()

        self._tasks.submit(
            lambda: secrets.get(server.redacted),
            started,
            lambda err: self._window.statusBar().showMessage(f"Sync: {err}", 8000),
        )

    def open_connect_dialog(self) -> ConnectDialog:
        note = self._no_store_note  # learnt on a worker (keyring may block)
        self._learn_store()
        server = self.controller.server
        url = server.redacted if server is not None else (self.controller.saved_url() or "")
        dialog = ConnectDialog(url=url, keyring_note=note, parent=self._window)
        dialog.accepted.connect(lambda: self._on_connect_accepted(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_connect_accepted(self, dialog: ConnectDialog) -> None:
        form = dialog.result_value
        if form is None:
            return
        self._store_then_start(form, remember=form.remember)

    def _store_then_start(
        self, form: ConnectForm, *, remember: bool, accept: Keeper | None = None
    ) -> None:
        """Store the password on a worker (keyring may block), then start syncing here."""
        secrets, key = self.secrets, form.server.redacted

        def work() -> tuple[Keeper | None, str | None]:
            if accept is not None:
                secrets.accept_insecure(accept)
            kept = None
            if form.password:
                kept = secrets.set(key, form.password, session_only=not remember)
            return kept, form.password or secrets.get(key)

        def done(result: tuple[Keeper | None, str | None]) -> None:
            kept, password = result
            self.controller.remember_and_start(form.server, password)
            self._after_connect(form.password, kept)

        def failed(error: Exception) -> None:
            if isinstance(error, InsecureKeyring):
                keeper = error.keeper
                self.question = ask_insecure(
                    self._window,
                    keeper,
                    lambda yes: self._store_then_start(
                        form, remember=yes, accept=keeper if yes else None
                    ),
                )
            elif isinstance(error, SecretsUnavailable):
                self._store_then_start(form, remember=False)
            else:
                self._window.statusBar().showMessage(f"Sync: {error}", 8000)

        self._tasks.submit(work, done, failed)

    def _after_connect(self, password: str | None, kept: Keeper | None) -> None:
        if password:
            where = f"in {kept.describe()}" if kept else "for this session only (not saved)"
            self._window.statusBar().showMessage(f"Sync: the password is kept {where}.", 8000)
        self._update_actions()

    def open_problems(self) -> SyncProblemsDialog:
        """The Sync problems view (one per window; raised if already open)."""
        if self.problems_dialog is None:
            self.problems_dialog = SyncProblemsDialog(
                lambda: sync_problems(self._workspace), self._window
            )
        else:
            self.problems_dialog.reload()
        self.problems_dialog.show()
        self.problems_dialog.raise_()
        return self.problems_dialog

    def open_peers(self) -> PeerDialog:
        """The *Laptop to laptop* dialog (one per window; raised if already open)."""
        if self.peer_dialog is None:
            self.peer_dialog = PeerDialog(self.peers, self._window)
        self.peer_dialog.show()
        self.peer_dialog.raise_()
        return self.peer_dialog

    def _on_status(self, status: SyncStatus) -> None:
        dialog = self.problems_dialog
        if dialog is not None and dialog.isVisible() and status.problems != dialog.model.rowCount():
            dialog.reload()

    def disconnect_server(self) -> None:
        self.controller.disconnect_server()
        self.status_widget.set_disconnected()
        self._update_actions()

    def _update_actions(self) -> None:
        running = self.controller.running
        self.action_sync_now.setEnabled(running)
        self.action_disconnect.setEnabled(running)
        if not running:
            self.status_widget.set_disconnected()

    def _current_id(self) -> str | None:
        incident = self._host.current_incident()
        return incident.id if incident is not None else None

    def _show_message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)

    def _on_bundle_imported(self) -> None:
        self._host.refresh()
        self.controller.wake()  # a running sync pushes what arrived by hand

    def _on_pulled(self, result: PullResult) -> None:
        self._host.refresh()
        panel = self._host.timeline_panel
        current = panel.incident
        if current is None:
            return
        mine = {entry for entry, incident in result.conflict_ids.items() if incident == current.id}
        if mine:
            panel.apply_entry_changes(mine)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self) -> None:
        self.controller.stop()
        self.peers.shutdown()


def install_sync(host: FeatureHost) -> SyncUi:
    """Add the Sync menu and status to the host; reconnects if the workspace was synced."""
    try:
        return SyncUi(host, host.workspace)
    except CommanderError as err:  # pragma: no cover - a damaged meta row
        QMessageBox.warning(host.main_window(), "Commander", str(err))
        raise
