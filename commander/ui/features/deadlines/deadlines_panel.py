"""The timers panel: every deadline of the selected incident, ticking, with its state.

Meeting a deadline ("Executive notified"), sending an update and snoozing are one click or one
short form here; each is logged on the timeline. When a deadline turns amber or red the row
blinks, a desktop notification is raised (``sig_alert``), and an overdue one is written to the
timeline once.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.clock import Clock
from commander.core.deadlines import Deadline, DeadlineKind, DeadlineState, resolved_since
from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.deadlines import DeadlineService, how_met
from commander.ui.common.form_dialog import FormDialog
from commander.ui.features.deadlines.deadline_dialogs import MeetDialog, SnoozeDialog
from commander.ui.features.deadlines.deadline_model import (
    COL_LEFT,
    COL_NAME,
    COL_STATE,
    DeadlineModel,
)

FLASH_TICKS = 12  # half-second blinks: six seconds of attention
ALERT_STATES = (DeadlineState.DUE_SOON, DeadlineState.OVERDUE)


class DeadlinesPanel(QWidget):
    """Deadlines of one incident.

    Signals:
        sig_local_change: a deadline event was written; the window refreshes.
        sig_alert(str, str): title and text for a desktop notification.
        sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_alert = Signal(str, str)
    sig_message = Signal(str)

    def __init__(
        self,
        service: DeadlineService,
        clock: Clock,
        model: DeadlineModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._clock = clock
        self.model = model
        self._incident: Incident | None = None
        self._flash_rows: set[int] = set()
        self._flash_left = 0
        self.active_dialog: FormDialog | None = None
        self.tick_timer = QTimer(self)
        self.flash_timer = QTimer(self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Deadlines")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        self.summary_label = QLabel(self)
        self.summary_label.setAccessibleName("Next deadline")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.table = QTableView(self)
        self.table.setAccessibleName("Deadlines table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # The name column stretches and elides; a regulatory clock's long name must not push
        # the State column a few pixels past the edge behind a horizontal scrollbar.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        metrics = self.table.fontMetrics()
        header.setMinimumSectionSize(metrics.horizontalAdvance("+00:00:00") + 16)
        self.table.doubleClicked.connect(lambda _index: self.meet_current())
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.met_button = QPushButton("&Met…", self)
        self.met_button.setToolTip("Record that the selected deadline was met, and how")
        self.update_button = QPushButton("&Update sent", self)
        self.update_button.setToolTip("An internal update went out: restart the 30-minute clock")
        self.snooze_button = QPushButton("S&nooze…", self)
        self.snooze_button.setToolTip("Acknowledge the selected deadline and silence its alerts")
        for button in (self.met_button, self.update_button, self.snooze_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.met_button.clicked.connect(self.meet_current)
        self.update_button.clicked.connect(self.update_sent)
        self.snooze_button.clicked.connect(self.snooze_current)

        self.tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self.tick)
        self.flash_timer.setInterval(500)
        self.flash_timer.timeout.connect(self._flash)
        self._set_enabled(False)

    # -- the incident ----------------------------------------------------------------------

    @property
    def incident(self) -> Incident | None:
        return self._incident

    def set_incident(self, incident: Incident | None) -> None:
        self._incident = incident
        self.reload()

    def reload(self) -> None:
        """Re-read the facts (after any change to the incident or its deadline events)."""
        incident = self._incident
        self._stop_flash()
        if incident is None:
            self.model.set_facts(None, self._clock.now())
            self.tick_timer.stop()
            self._set_enabled(False)
            self.summary_label.setText("")
            return
        try:
            facts = self._service.facts(incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.model.set_facts(facts, self._clock.now())
        self._set_enabled(True)
        self._update_summary()
        self._log_overdue(self.model.deadlines())
        if not self.tick_timer.isActive():
            self.tick_timer.start()

    def resolved_at(self) -> datetime | None:
        """When the incident was resolved (None while active): where its duration stops."""
        facts = self.model.facts
        return resolved_since(facts, self._clock.now()) if facts is not None else None

    def _set_enabled(self, enabled: bool) -> None:
        for button in (self.met_button, self.update_button, self.snooze_button):
            button.setEnabled(enabled)

    # -- ticking ---------------------------------------------------------------------------

    def tick(self) -> None:
        changes = self.model.tick(self._clock.now())
        alerts = [
            (d, old)
            for d, old in changes
            if d.state in ALERT_STATES and d.state is not old and d.snoozed_until is None
        ]
        if alerts:
            self._start_flash({self.model.row_of(d.key) or 0 for d, _ in alerts})
            for deadline, _old in alerts:
                self.sig_alert.emit(self._alert_title(deadline), self._alert_text(deadline))
        self._log_overdue([d for d, _old in changes])
        self._update_summary()

    def _log_overdue(self, deadlines: list[Deadline]) -> None:
        incident = self._incident
        if incident is None:
            return
        wrote = False
        for deadline in deadlines:
            if deadline.state is DeadlineState.OVERDUE:
                try:
                    wrote = bool(self._service.log_overdue(incident.id, deadline)) or wrote
                except CommanderError as err:
                    self.sig_message.emit(str(err))
        if wrote:
            self.sig_local_change.emit()

    def _alert_title(self, deadline: Deadline) -> str:
        ref = self._incident.ref if self._incident else ""
        word = "overdue" if deadline.state is DeadlineState.OVERDUE else "due soon"
        return f"{ref}: {deadline.name} {word}"

    def _alert_text(self, deadline: Deadline) -> str:
        if deadline.due is None:
            return deadline.name
        return f"{deadline.name} due at {deadline.due.astimezone(self.model.zone):%H:%M}"

    def _update_summary(self) -> None:
        live = [
            d
            for d in self.model.deadlines()
            if d.state in (DeadlineState.UPCOMING, *ALERT_STATES) and d.remaining is not None
        ]
        overdue = [d for d in live if d.state is DeadlineState.OVERDUE]
        if overdue:
            names = ", ".join(d.name for d in overdue)
            text = f"<b style='color:#b8420a'>✖ Overdue:</b> {names}"
        elif live:
            nxt = min(live, key=lambda d: d.remaining or timedelta(0))
            text = f"Next: <b>{nxt.name}</b> in {self._left(nxt)}"
        else:
            text = "No open deadlines."
        failed = [d for d in self.model.deadlines() if d.send_failure is not None]
        if failed:
            text += "<br><b>⚠ Send failed, not met:</b> " + html.escape(
                "; ".join(f"{d.name} ({d.send_failure.reason})" for d in failed if d.send_failure)
            )
        self.summary_label.setText(text)

    def _left(self, deadline: Deadline) -> str:
        return self.model.data(self.model.index(self.model.row_of(deadline.key) or 0, COL_LEFT))

    def _start_flash(self, rows: set[int]) -> None:
        self._flash_rows = rows
        self._flash_left = FLASH_TICKS
        self.flash_timer.start()

    def _flash(self) -> None:
        self._flash_left -= 1
        if self._flash_left <= 0:
            self._stop_flash()
            return
        self.model.set_flashing(self._flash_rows, on=self._flash_left % 2 == 1)

    def _stop_flash(self) -> None:
        self.flash_timer.stop()
        self._flash_left = 0
        self.model.set_flashing(set(), on=False)

    # -- actions ---------------------------------------------------------------------------

    def current_deadline(self) -> Deadline | None:
        index = self.table.currentIndex()
        return self.model.deadline_at(index.row()) if index.isValid() else None

    def select(self, key: str) -> None:
        row = self.model.row_of(key)
        if row is not None:
            self.table.selectRow(row)

    def meet_current(self) -> MeetDialog | None:
        deadline = self.current_deadline()
        incident = self._incident
        if deadline is None or incident is None:
            self.sig_message.emit("Select a deadline first.")
            return None
        if deadline.key is DeadlineKind.INTERNAL_UPDATE:
            self.update_sent()
            return None

        def submit(how: str) -> None:
            self._service.mark_met(incident.id, deadline.key, how=how)
            self._after_change(f"{deadline.name}: met")

        how = how_met(deadline.key)
        if deadline.key is DeadlineKind.ESCALATION:
            how = deadline.name.replace("notification", "notified").capitalize()
        return self._open(MeetDialog(deadline, how, submit, self))  # type: ignore[return-value]

    def update_sent(self) -> None:
        incident = self._incident
        if incident is None:
            return
        try:
            self._service.update_sent(incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self._after_change("Internal update sent; next one due in 30 minutes")

    def snooze_current(self) -> SnoozeDialog | None:
        deadline = self.current_deadline()
        incident = self._incident
        if deadline is None or incident is None:
            self.sig_message.emit("Select a deadline first.")
            return None

        def submit(minutes: int, reason: str) -> None:
            until = self._clock.now() + timedelta(minutes=minutes)
            self._service.snooze(incident.id, deadline.key, until=until, reason=reason)
            self._after_change(f"{deadline.name}: alerts snoozed for {minutes} min")

        return self._open(SnoozeDialog(deadline, submit, self))  # type: ignore[return-value]

    def _open(self, dialog: FormDialog) -> FormDialog:
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _after_change(self, message: str) -> None:
        self.reload()
        self.sig_message.emit(message)
        self.sig_local_change.emit()

    def state_text(self, key: str) -> str:
        """The State cell of a deadline as shown (tests, accessibility)."""
        row = self.model.row_of(key)
        return "" if row is None else str(self.model.data(self.model.index(row, COL_STATE)))
