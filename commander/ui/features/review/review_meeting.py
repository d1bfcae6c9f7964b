"""The Review tab's meeting box: when the review meets, against the one-week deadline.

Scheduling is an op with a timeline entry; "Mark review held" meets the procedure's
"Post-Incident Review (within 1 week)" deadline, so the timers panel shows it met too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.services.review import ReviewService
from commander.ui.common.zones import FollowsZone

MUTED_STYLE = "color: #4a5454;"
WARN_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b6e3a;"


class MeetingBox(QGroupBox, FollowsZone):
    """Signals: ``sig_local_change`` after a write; ``sig_message(str)`` for the status bar."""

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self, review: ReviewService, export_ics: Callable[[], object], parent: QWidget
    ) -> None:
        super().__init__("Review meeting (within 1 week of resolution)", parent)
        self._review = review
        self._zone = review.workspace.zone
        self.incident_id: str | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.when_edit = QDateTimeEdit(self)
        self.when_edit.setAccessibleName("Review date and time")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setAccessibleName("Review length in minutes")
        self.minutes_spin.setRange(15, 480)
        self.minutes_spin.setSingleStep(15)
        self.minutes_spin.setValue(60)
        self.minutes_spin.setSuffix(" min")
        self.schedule_button = QPushButton("&Schedule", self)
        self.schedule_button.setAccessibleName("Schedule review")
        self.schedule_button.clicked.connect(self.schedule)
        row.addWidget(self.when_edit)
        row.addWidget(self.minutes_spin)
        row.addWidget(self.schedule_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.state_label = QLabel(self)
        self.state_label.setAccessibleName("Review deadline")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        second = QHBoxLayout()
        self.ics_button = QPushButton("Export &invitation (.ics)…", self)
        self.ics_button.setAccessibleName("Export review invitation")
        self.ics_button.clicked.connect(lambda: export_ics())
        self.held_button = QPushButton("Mark review &held", self)
        self.held_button.setAccessibleName("Mark review held")
        self.held_button.clicked.connect(self.mark_held)
        second.addWidget(self.ics_button)
        second.addWidget(self.held_button)
        second.addStretch(1)
        layout.addLayout(second)

    def load(self, incident_id: str) -> None:
        """Show the incident's meeting and deadline; a proposed time when none is set."""
        self.incident_id = incident_id
        schedule = self._review.schedule(incident_id)
        deadline = self._review.review_deadline(incident_id)
        due = deadline.due
        if schedule is not None:
            self.when_edit.setDateTime(_qt(schedule.start, self._zone))
            self.minutes_spin.setValue(schedule.minutes)
        elif not self.when_edit.hasFocus():
            # Propose 14:00 two days before the deadline (or in three days, if not resolved).
            base = due - timedelta(days=2) if due is not None else None
            base = base or self._review.workspace.clock.now() + timedelta(days=3)
            local = base.astimezone(self._zone).replace(hour=14, minute=0, second=0)
            self.when_edit.setDateTime(_qt(local, self._zone))
        self.ics_button.setEnabled(schedule is not None)
        parts: list[str] = []
        style = MUTED_STYLE
        if due is None:
            parts.append("The one-week deadline starts when the incident is resolved.")
        else:
            state = deadline.state.value.replace("_", " ")
            parts.append(f"Due by {_local(due, self._zone)} ({state}).")
        if deadline.met_at is not None:
            parts.append(f"Held {_local(deadline.met_at, self._zone)}.")
            style = OK_STYLE
        if schedule is None:
            parts.append("Not scheduled yet.")
        else:
            start = _local(schedule.start, self._zone)
            parts.append(f"Scheduled {start} ({schedule.minutes} min).")
            if schedule.within_deadline is False:
                parts.append("That is after the deadline.")
                style = WARN_STYLE
            elif schedule.within_deadline and deadline.met_at is None:
                style = OK_STYLE
        self.state_label.setText(" ".join(parts))
        self.state_label.setStyleSheet(style)

    def schedule(self) -> bool:
        if self.incident_id is None:
            return False
        when = self.when_edit.dateTime().toPython()
        assert isinstance(when, datetime)
        when = when.replace(tzinfo=self._zone) if when.tzinfo is None else when
        try:
            self._review.schedule_review(
                self.incident_id, when.astimezone(UTC), minutes=self.minutes_spin.value()
            )
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return False
        self.load(self.incident_id)
        self.sig_local_change.emit()
        self.sig_message.emit("Post-incident review scheduled")
        return True

    def mark_held(self) -> bool:
        if self.incident_id is None:
            return False
        try:
            self._review.mark_review_held(self.incident_id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return False
        self.load(self.incident_id)
        self.sig_local_change.emit()
        self.sig_message.emit("Post-incident review recorded as held")
        return True


def _local(when: datetime, zone: tzinfo) -> str:
    return when.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


def _qt(when: datetime, zone: tzinfo) -> QDateTime:
    local = when.astimezone(zone).replace(tzinfo=None)
    return QDateTime(local.date(), local.time())  # type: ignore[call-overload]
