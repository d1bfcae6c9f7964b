"""The status-bar piece for peers: who this laptop syncs with directly, how far behind each is.

Peer exchanges run from *Sync → Laptop to laptop…* or ``commander peer`` (see
docs/sync.md); this label shows what the workspace remembers of them — each admitted peer
with the number of this workspace's changes it lacked at the last look, and how many first
contacts wait for admission (clicking it opens the dialog). It reads on a worker
(``TaskRunner``) every few seconds and stays hidden while there is no peer at all.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from commander.services.peer.admission import Peer, list_peers
from commander.services.workspace import Workspace
from commander.ui.common.tasks import TaskRunner

REFRESH_MS = 5_000


def describe(peers: list[Peer]) -> tuple[str, str]:
    """The label's text and tooltip for ``peers`` ("" when there is none)."""
    admitted = [peer for peer in peers if peer.status == "admitted"]
    pending = len(peers) - len(admitted)
    parts = []
    for peer in admitted:
        if peer.behind is None:
            state = "never synced"
        elif peer.behind == 0:
            state = "in sync"
        else:
            state = f"{peer.behind:,} behind"
        parts.append(f"{peer.author} {state}")
    if pending:
        parts.append(f"{pending} pending")
    if not parts:
        return "", ""
    tips = [
        f"{peer.author} ({peer.fingerprint}): "
        + (f"last exchange {peer.synced_at}" if peer.synced_at else "no exchange yet")
        for peer in admitted
    ]
    if pending:
        tips.append("A pending peer syncs once admitted: click here to see it and admit it.")
    return "Peers: " + " · ".join(parts), "\n".join(tips)


class PeerStatusWidget(QLabel):
    """Shows the admitted and pending peers; refreshed on a worker.

    Signals:
        sig_clicked(): the label was clicked (the window opens the peers dialog).
    """

    sig_clicked = Signal()

    def __init__(self, workspace: Workspace, tasks: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Peer status")
        self.setContentsMargins(6, 0, 6, 0)
        self._workspace = workspace
        self._tasks = tasks
        self._busy = False
        self.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.sig_clicked.emit()
        super().mousePressEvent(event)

    def refresh(self) -> None:
        if self._busy:
            return
        self._busy = True
        workspace = self._workspace
        self._tasks.submit(lambda: list_peers(workspace), self._show, self._failed)

    def _show(self, peers: list[Peer]) -> None:
        self._busy = False
        text, tip = describe(peers)
        self.setText(text)
        self.setToolTip(tip)
        self.setVisible(bool(text))

    def _failed(self, _error: Exception) -> None:
        self._busy = False  # a busy workspace: the next refresh tries again
