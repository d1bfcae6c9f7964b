"""The outbox tab and the worker that empties it.

Delivery never runs on the GUI thread: a one-second timer looks (cheaply, in SQLite) for a
message that is due and hands a delivery pass to the task runner; the result comes back here,
the table refreshes and the window is told the timeline changed.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.delivery import DeliveryEngine, DeliveryReport
from commander.services.outbox import OutboxService, OutboxState
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.comms.outbox_model import (
    COL_ANSWER,
    COL_AUDIENCE,
    COL_CHANNEL,
    COL_STATE,
    COL_SUBJECT,
    COL_TIME,
    OutboxModel,
)

WORKER_INTERVAL_MS = 1000


class OutboxPanel(QWidget):
    """The selected incident's messages: queued, sending, sent, failed (with Retry).

    Signals:
        sig_local_change: a delivery was logged on the timeline; the window refreshes.
        sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        outbox: OutboxService,
        engine: DeliveryEngine,
        tasks: TaskRunner,
        zone: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._outbox = outbox
        self._engine = engine
        self._tasks = tasks
        self._incident: Incident | None = None
        self._busy = False
        self.model = OutboxModel(zone, self)
        self.worker_timer = QTimer(self)
        self._setup_ui()
        self.worker_timer.setInterval(WORKER_INTERVAL_MS)
        self.worker_timer.timeout.connect(self.deliver_due)
        self.worker_timer.start()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Outbox")
        self.view = QTableView(self)
        self.view.setAccessibleName("Outbox messages")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        for column in (COL_TIME, COL_CHANNEL, COL_AUDIENCE, COL_STATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SUBJECT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_SUBJECT, 160)
        header.setSectionResizeMode(COL_ANSWER, QHeaderView.ResizeMode.Stretch)
        self.summary_label = QLabel(self)
        self.summary_label.setAccessibleName("Outbox summary")
        # Never let the summary widen the side column; it elides into its tooltip instead.
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.retry_button = QPushButton("&Retry", self)
        self.retry_button.setAccessibleName("Retry failed message")
        self.retry_button.setToolTip("Queue the selected failed message again")
        self.retry_button.setEnabled(False)
        self.retry_button.clicked.connect(self.retry_selected)
        self.deliver_button = QPushButton("&Deliver now", self)
        self.deliver_button.setAccessibleName("Deliver queued messages now")
        self.deliver_button.clicked.connect(self.deliver_now)
        bar = QHBoxLayout()
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.deliver_button)
        bar.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

    # -- state -----------------------------------------------------------------------------

    def set_incident(self, incident: Incident | None) -> None:
        self._incident = incident
        self.reload()

    def reload(self) -> None:
        items = self._outbox.outbox(self._incident.id) if self._incident else []
        self.model.set_items(items)
        counts = {state: 0 for state in ("queued", "sending", "sent", "failed")}
        for item in items:
            counts[item.state] = counts.get(item.state, 0) + 1
        waiting = counts["queued"] + counts["sending"]
        summary = (
            f"{waiting} waiting · {counts['sent']} sent · {counts['failed']} failed"
            if items
            else "No messages yet — compose one with Ctrl+U"
        )
        self.summary_label.setText(summary)
        self.summary_label.setToolTip(summary)
        self._update_buttons()

    def _selected(self):  # type: ignore[no-untyped-def]
        index = self.view.currentIndex()
        return self.model.item_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        item = self._selected()
        self.retry_button.setEnabled(item is not None and item.state == OutboxState.FAILED)

    # -- delivery --------------------------------------------------------------------------

    def retry_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        try:
            self._outbox.retry(item.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.reload()
        self.deliver_now()

    def deliver_due(self) -> None:
        """The timer's tick: start a pass if something is due and none is running."""
        due = self._outbox.next_due()
        if due is not None and due <= self._outbox.workspace.clock.now():
            self.deliver_now()

    def deliver_now(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._tasks.submit(self._engine.run_once, self._on_delivered, self._on_error)

    def _on_delivered(self, report: DeliveryReport) -> None:
        self._busy = False
        self.reload()
        if report.sent:
            self.sig_message.emit(f"{len(report.sent)} message(s) delivered")
        elif report.failed:
            self.sig_message.emit(f"{len(report.failed)} message(s) failed; see the outbox")
        if report.changes:  # deliveries and failures are on the timeline and the deadlines
            self.sig_local_change.emit()

    def _on_error(self, error: Exception) -> None:
        self._busy = False
        self.reload()
        self.sig_message.emit(f"Delivery stopped: {error}")

    def stop(self) -> None:
        self.worker_timer.stop()
