"""The table of admitted and pending peers in the *Laptop to laptop* dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from commander.services.peer.admission import Peer
from commander.ui.common.columns import ColumnsTableModel, Index


def behind_text(peer: Peer) -> str:
    if peer.status == "pending":
        return "waits for admission"
    if peer.behind is None:
        return "never synced"
    return "in sync" if peer.behind == 0 else f"{peer.behind:,} changes"


class PeerTableModel(ColumnsTableModel):
    """One row per peer, admitted first (as ``list_peers`` orders them)."""

    COLUMNS = ("Status", "Person", "Fingerprint", "Address", "Last exchange", "Behind")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._peers: list[Peer] = []

    def set_peers(self, peers: list[Peer]) -> None:
        self.beginResetModel()
        self._peers = list(peers)
        self.endResetModel()

    def peer(self, row: int) -> Peer | None:
        return self._peers[row] if 0 <= row < len(self._peers) else None

    def peers(self) -> list[Peer]:
        return list(self._peers)

    def _row_count(self) -> int:
        return len(self._peers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        peer = self.peer(index.row()) if index.isValid() else None
        if peer is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                peer.status,
                peer.author,
                peer.fingerprint,
                peer.address,
                peer.synced_at or "never",
                behind_text(peer),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{peer.author}, node {peer.node_id}, key {peer.fingerprint}"
        return None
