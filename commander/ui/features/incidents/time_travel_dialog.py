"""*Incident → State at a moment…*: a scrubber over the incident's life showing, read-only,
what the record held then — severity, status, phase, roster, deadlines, impact, timeline.

Rebuilding a moment replays the op log into a scratch database (``services.time_travel``), a
few milliseconds for a small incident and longer for a large one, so it runs on a worker;
moving the slider quickly asks only for the last position (a short pause, then one rebuild),
and a late answer for an earlier position is dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSlider,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.business_hours import BusinessHours
from commander.core.errors import CommanderError
from commander.core.records import TimelineEntry
from commander.services.time_travel import StateAt, incident_span, state_at
from commander.services.workspace import Workspace
from commander.ui.common.rows_model import RowsModel
from commander.ui.common.severity_badge import shown_names
from commander.ui.common.tasks import TaskRunner

STEP = timedelta(minutes=1)  # one slider step; Page Up/Down move ten
SETTLE_MS = 120  # the pause after the slider stops before the moment is rebuilt


def _entry_text(entry: TimelineEntry) -> str:
    text = entry.amended_event if entry.amended_event is not None else entry.event
    return f"{text} (struck: {entry.strike_reason})" if entry.struck else text


class TimeTravelDialog(QDialog):
    """The incident as recorded at the moment the slider points to (read-only)."""

    def __init__(
        self,
        workspace: Workspace,
        incident_id: str,
        hours: BusinessHours,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._incident_id = incident_id
        self._hours = hours
        self._tasks = tasks
        self._asked = 0  # the position of the newest request; older answers are dropped
        self.state: StateAt | None = None
        self.setWindowTitle("State at a moment (read-only)")
        self.resize(1100, 700)
        self._start, end = incident_span(workspace, incident_id)
        steps = max(1, int((end - self._start) / STEP) + 1)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, steps)
        self.slider.setPageStep(10)
        self.slider.setValue(steps)
        self.slider.setAccessibleName("Moment")
        self.slider.setToolTip("← → one minute, Page Up/Down ten, Home/End the first and last")
        self.moment = QLabel()
        self.moment.setMinimumWidth(260)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.roster = RowsModel(["Role", "Held by"])
        self.deadlines = RowsModel(["Deadline", "State", "Due", "Met"])
        self.timeline = RowsModel(["Time", "Event", "Owner", "By"])
        self.timeline_view = self._table(self.timeline, "Timeline then", stretch=1)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self._table(self.roster, "Roles then", stretch=1))
        top.addWidget(self._table(self.deadlines, "Deadlines then", stretch=0))
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self.timeline_view)
        body.setStretchFactor(1, 2)

        scrub = QHBoxLayout()
        scrub.addWidget(self.slider, 1)
        scrub.addWidget(self.moment)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addLayout(scrub)
        layout.addWidget(self.summary)
        layout.addWidget(body, 1)
        layout.addWidget(buttons)

        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._rebuild)
        self.slider.valueChanged.connect(self._moved)
        self._moved(self.slider.value())
        self._rebuild()
        self.slider.setFocus()

    def _table(self, model: RowsModel, name: str, stretch: int) -> QTableView:
        view = QTableView()
        view.setAccessibleName(name)
        view.setModel(model)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    def at(self) -> datetime:
        """The moment the slider points to."""
        return self._start + self.slider.value() * STEP

    def set_moment(self, when: datetime) -> None:
        """Point the slider at ``when`` (clamped to the incident's life)."""
        self.slider.setValue(round((when - self._start) / STEP))

    def _moved(self, _value: int) -> None:
        local = self.at().astimezone(self._ws.zone)
        self.moment.setText(f"As recorded at {local:%Y-%m-%d %H:%M}")
        self._settle.start()

    def _rebuild(self) -> None:
        self._settle.stop()
        self._asked += 1
        asked, at = self._asked, self.at()
        workspace, incident_id, hours = self._ws, self._incident_id, self._hours

        def work() -> StateAt:
            return state_at(workspace, incident_id, at, hours=hours)

        def done(state: StateAt) -> None:
            if asked == self._asked:
                self._show(state)

        def failed(exc: Exception) -> None:
            if asked != self._asked:
                return
            self.state = None
            self.summary.setText(str(exc) if isinstance(exc, CommanderError) else repr(exc))
            for model in (self.roster, self.deadlines, self.timeline):
                model.set_rows([])

        self._tasks.submit(work, done, failed)

    def _show(self, state: StateAt) -> None:
        self.state = state
        zone = self._ws.zone
        incident = state.incident
        impact = ", ".join(
            f"{metric.value} {samples[-1].value:g}" for metric, samples in state.impact.items()
        )
        self.summary.setText(
            f"<b>{incident.ref}</b> {incident.title} — "
            f"severity <b>{shown_names().key(incident.severity)}</b>, "
            f"status <b>{incident.status.value}</b>, phase <b>{incident.phase.value}</b>"
            + (f"; impact {impact}" if impact else "")
            + f" ({state.ops} changes recorded by then)"
        )
        self.roster.set_rows(
            [
                [
                    line.role.name,
                    line.holder.person_name if line.assigned and line.holder else "—",
                ]
                for line in state.roster.lines
                if line.assigned or line.required
            ]
        )
        self.deadlines.set_rows(
            [
                [
                    d.name,
                    d.state.value.replace("_", " "),
                    f"{d.due.astimezone(zone):%H:%M}" if d.due else "",
                    f"{d.met_at.astimezone(zone):%H:%M}" if d.met_at else "",
                ]
                for d in state.deadlines
                if d.applies or d.met_at is not None
            ]
        )
        self.timeline.set_rows(
            [
                [
                    f"{e.occurred_at.astimezone(zone):%H:%M:%S}",
                    _entry_text(e),
                    e.owner,
                    e.attributed_to or e.author,
                ]
                for e in state.timeline
            ]
        )
        self.timeline_view.scrollToBottom()
