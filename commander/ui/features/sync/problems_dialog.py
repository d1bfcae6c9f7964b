"""The Sync problems view: what sync kept aside, reachable from the sync status and menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.services.nodes import SyncProblem
from commander.ui.features.sync.sync_problem_model import SyncProblemModel

_EXPLAIN = (
    "Ops listed here came from the shared database but failed a check on this computer "
    "(hash, chain, signature, or their node was revoked). Quarantined ops were never applied; "
    "untrusted ones were applied before their node's revocation was known. Everything else "
    "synced normally. Compare the node's key fingerprint with its owner (People directory)."
)


class SyncProblemsDialog(QDialog):
    """A table of sync problems; ``reload`` re-reads them (the list only grows)."""

    def __init__(
        self, load: Callable[[], list[SyncProblem]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._load = load
        self.setWindowTitle("Sync problems")
        self.setAccessibleName("Sync problems")
        self.resize(900, 360)
        layout = QVBoxLayout(self)
        note = QLabel(_EXPLAIN, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.model = SyncProblemModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sync problems table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Sync problems summary")
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        problems = self._load()
        self.model.set_problems(problems)
        count = len(problems)
        self.summary.setText(
            "No sync problems: every op pulled passed its checks."
            if not count
            else f"{count} op{'s' if count != 1 else ''} not trusted."
        )
