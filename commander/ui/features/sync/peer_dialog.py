"""*Sync → Laptop to laptop…*: the peers, admitting them, and letting them reach this laptop.

A thin view over ``PeerSession``: every action runs there, on a worker, and comes back as the
re-read peer list or one sentence in the dialog's status line.
"""

from __future__ import annotations

from PySide6.QtNetwork import QAbstractSocket, QNetworkInterface
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import ValidationError
from commander.services.peer.admission import Peer
from commander.services.peer.net import DEFAULT_HOST
from commander.services.peer.rounds import parse_address
from commander.ui.features.sync.peer_model import PeerTableModel
from commander.ui.features.sync.peer_session import PeerSession

_EXPLAIN = (
    "Laptops in one room sync directly, without the shared database. A peer is admitted "
    "once, on both sides, after checking its fingerprint with its owner; every change it sends "
    "is verified before it is applied."
)


def local_addresses() -> list[str]:
    """Loopback first, then this machine's IPv4 addresses (the interfaces to listen on)."""
    found = [DEFAULT_HOST]
    for address in QNetworkInterface.allAddresses():
        if address.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
            text = address.toString()
            if text not in found:
                found.append(text)
    return found


class PeerDialog(QDialog):
    """The peers of this workspace and the controls of the window's peer server."""

    def __init__(self, session: PeerSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle("Laptop to laptop")
        self.setAccessibleName("Laptop to laptop")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        note = QLabel(_EXPLAIN, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.identity = QLabel(self)
        layout.addWidget(self.identity)
        self.model = PeerTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Peers")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.button_admit = QPushButton("&Admit", self)
        self.button_forget = QPushButton("&Forget", self)
        self.button_sync = QPushButton("&Sync now", self)
        for button, name in (
            (self.button_admit, "Admit"),
            (self.button_forget, "Forget"),
            (self.button_sync, "Sync now"),
        ):
            button.setAccessibleName(name)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

        add = QHBoxLayout()
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("HOST:PORT of another laptop")
        self.address.setAccessibleName("Peer address")
        self.button_add = QPushButton("&Contact", self)
        self.button_add.setAccessibleName("Contact")
        add.addWidget(QLabel("Add a peer:", self))
        add.addWidget(self.address, 1)
        add.addWidget(self.button_add)
        layout.addLayout(add)

        serve = QHBoxLayout()
        self.serving = QCheckBox("&Let peers on this network reach this laptop", self)
        self.serving.setAccessibleName("Let peers on this network reach this laptop")
        self.host = QComboBox(self)
        self.host.setEditable(True)
        self.host.setAccessibleName("Listen on address")
        self.host.addItems(local_addresses())
        self.port = QSpinBox(self)
        self.port.setRange(0, 65535)
        self.port.setAccessibleName("Listen on port")
        self.port.setToolTip("0: any free port")
        serve.addWidget(self.serving)
        serve.addWidget(QLabel("on", self))
        serve.addWidget(self.host)
        serve.addWidget(QLabel("port", self))
        serve.addWidget(self.port)
        serve.addStretch(1)
        layout.addLayout(serve)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Peer sync status")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.button_admit.clicked.connect(self.admit_selected)
        self.button_forget.clicked.connect(self.forget_selected)
        self.button_sync.clicked.connect(session.run_round)
        self.button_add.clicked.connect(self.contact)
        self.address.returnPressed.connect(self.contact)
        self.serving.toggled.connect(self._toggled)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        session.sig_peers.connect(self.show_peers)
        session.sig_message.connect(self.status.setText)
        session.sig_serving.connect(self._show_serving)
        session.sig_identity.connect(self._show_identity)
        self._load_settings()
        self.show_peers(session.peers)
        session.refresh()

    def _load_settings(self) -> None:
        session = self._session
        settings = session.settings
        self._show_identity(session.identity)
        if not session.identity:
            session.load_identity()
        self.host.setCurrentText(settings.host)
        self.port.setValue(settings.port)
        self._show_serving(session.serving, session.address)

    def _show_identity(self, identity: str) -> None:
        self.identity.setText(f"This laptop: {identity}" if identity else "")

    def selected(self) -> Peer | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.peer(rows[0].row()) if rows else None

    def show_peers(self, peers: list[Peer]) -> None:
        chosen = self.selected()
        self.model.set_peers(peers)
        if chosen is not None:
            for row, peer in enumerate(peers):
                if peer.public_key == chosen.public_key:
                    self.table.selectRow(row)
        self._update_buttons()

    def select_fingerprint(self, wanted: str) -> bool:
        for row, peer in enumerate(self.model.peers()):
            if peer.fingerprint == wanted:
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        peer = self.selected()
        self.button_admit.setEnabled(peer is not None and peer.status == "pending")
        self.button_forget.setEnabled(peer is not None)

    def admit_selected(self) -> None:
        peer = self.selected()
        if peer is not None and peer.status == "pending":
            self._session.admit(peer)

    def forget_selected(self) -> None:
        peer = self.selected()
        if peer is not None:
            self._session.forget(peer)

    def contact(self) -> None:
        text = self.address.text().strip()
        try:
            parse_address(text)
        except ValidationError as err:
            self.status.setText(str(err))
            return
        self.status.setText(f"Contacting {text}…")
        self.address.clear()
        self._session.contact(text)

    def _toggled(self, checked: bool) -> None:
        session = self._session
        if checked == session.serving:
            return
        if checked:
            host = self.host.currentText().strip() or DEFAULT_HOST
            self.status.setText(f"Opening {host}:{self.port.value()}…")
            session.serve(host, self.port.value())
        else:
            session.stop_serving()

    def _show_serving(self, serving: bool, address: str) -> None:
        self.serving.blockSignals(True)
        self.serving.setChecked(serving)
        self.serving.blockSignals(False)
        self.host.setEnabled(not serving)
        self.port.setEnabled(not serving)
        self.serving.setToolTip(f"Listening at {address}" if serving else "")
