"""The composer's channel line: which channels can deliver, and a way to set one up.

Readiness is read on a worker (secrets live in the keyring); until it answers nothing is
claimed. Then every channel in the list says "ready" or "not set up", the chosen one's reason
shows beside *Set up channels…*, and the composer refuses to send to a channel that would
fail at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import isValid

from commander.core.channels import Channel
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import set_role

Readiness = dict[Channel, str | None]  # channel -> why it cannot deliver (None: ready)


class ChannelReadiness(QObject):
    """Labels the channel combo and explains the chosen channel.

    Signals:
        sig_changed: readiness arrived or the channel changed (Send may follow).
        sig_setup_requested: the user asked to set up a channel.
    """

    sig_changed = Signal()
    sig_setup_requested = Signal()

    def __init__(
        self,
        combo: QComboBox,
        parent: QWidget,
        source: Callable[[], Readiness] | None,
        tasks: TaskRunner | None,
    ) -> None:
        super().__init__(parent)
        self._combo = combo
        self._source = source
        self._tasks = tasks
        self.readiness: Readiness | None = None  # until the worker answers: unknown
        self.note = QLabel(parent)
        self.note.setAccessibleName("Channel readiness")
        self.note.setWordWrap(True)
        self.setup_button = QPushButton("Set &up channels…", parent)
        self.setup_button.setAccessibleName("Set up channels")
        self.setup_button.setAutoDefault(False)
        self.setup_button.hide()
        self.setup_button.clicked.connect(self.sig_setup_requested)
        self.row = QHBoxLayout()
        self.row.addWidget(self.note, 1)
        self.row.addWidget(self.setup_button)
        combo.currentIndexChanged.connect(self._show_chosen)

    def refresh(self) -> None:
        """Ask (on a worker) which channels can deliver; the list and the note follow."""
        if self._source is None or self._tasks is None:
            return
        self._tasks.submit(self._source, self._on_readiness, self._on_failed)

    def _chosen(self) -> Channel:
        return Channel(self._combo.currentData())

    def problem(self) -> str | None:
        """Why the chosen channel cannot deliver (None: ready, or not known yet)."""
        return None if self.readiness is None else self.readiness.get(self._chosen())

    def _on_readiness(self, readiness: Readiness) -> None:
        if not isValid(self.note):
            return  # the composer closed before the keyring answered
        self.readiness = readiness
        for row in range(self._combo.count()):
            channel = Channel(self._combo.itemData(row))
            if not channel.deliverable:
                state = "read aloud"
            else:
                state = "ready" if readiness.get(channel) is None else "not set up"
            self._combo.setItemText(row, f"{channel.label} — {state}")
        self._show_chosen()

    def _on_failed(self, error: Exception) -> None:
        if isValid(self.note):
            self.note.setText(f"Could not read the channel settings: {error}")
            set_role(self.note, "error")

    def _show_chosen(self) -> None:
        channel = self._chosen()
        problem = self.problem()
        if self.readiness is None:
            self.note.setText("")
        elif not channel.deliverable:
            self.note.setText(problem or "")
        elif problem is None:
            self.note.setText(f"✓ {channel.label} is set up.")
        else:
            self.note.setText(f"⚠ {problem}")
        set_role(self.note, "warning" if problem and channel.deliverable else "")
        self.setup_button.setVisible(bool(problem) and channel.deliverable)
        self.sig_changed.emit()
