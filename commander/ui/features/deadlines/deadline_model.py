"""The deadlines of one incident as a table that ticks.

Each tick recomputes every deadline from the stored facts and the clock (``due - now``, never a
counter), so the countdown is right after a restart, a suspend or on another laptop. A tick
emits ``dataChanged`` for the countdown column and for rows whose state changed, nothing more.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from commander.core.deadline_facts import IncidentFacts
from commander.core.deadlines import DUE_NOW, Deadline, DeadlineState, countdown_text
from commander.services.deadlines import DeadlineService
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.themes import qcolour, theme_colours
from commander.ui.common.zones import FollowsZone

COL_NAME, COL_DUE, COL_LEFT, COL_STATE = range(4)
COLUMNS = ("Deadline", "Due", "Countdown", "State")

# Colour *and* a word for every state (Okabe-Ito hues, distinct in lightness as well).
STATE_STYLE: dict[DeadlineState, tuple[str, str | None, str | None]] = {
    DeadlineState.UPCOMING: ("Upcoming", None, None),
    DeadlineState.DUE_SOON: ("⚠ Due soon", "#e69f00", "#1a1a1a"),
    DeadlineState.OVERDUE: ("✖ Overdue", "#b8420a", "#ffffff"),
    DeadlineState.MET: ("✔ Met", "#d8eee6", "#1b4d3e"),
    DeadlineState.NOT_APPLICABLE: ("Not applicable", None, "#7a7a7a"),
}
DARK_MET = ("#004d40", "#ffffff")  # as the war-room display shows "met"

_Index = QModelIndex | QPersistentModelIndex


class DeadlineModel(ColumnsTableModel, FollowsZone):
    """Rows are the incident's deadlines in policy order."""

    COLUMNS = COLUMNS

    def __init__(self, service: DeadlineService, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._service = service
        self._zone = zone
        self._facts: IncidentFacts | None = None
        self._rows: list[Deadline] = []
        self._now: datetime | None = None
        self._flashing: set[int] = set()
        self._flash_on = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- data in ---------------------------------------------------------------------------

    def set_facts(self, facts: IncidentFacts | None, now: datetime) -> None:
        self.beginResetModel()
        self._facts = facts
        self._now = now
        self._rows = self._service.compute(facts, now) if facts else []
        self._flashing.clear()
        self.endResetModel()

    def tick(self, now: datetime) -> list[tuple[Deadline, DeadlineState]]:
        """Recompute as of ``now``; returns ``(deadline, previous state)`` for state changes."""
        if self._facts is None:
            return []
        fresh = self._service.compute(self._facts, now)
        self._now = now
        if len(fresh) != len(self._rows):  # another procedure was loaded: other rows
            self.beginResetModel()
            self._rows = fresh
            self.endResetModel()
            return []
        changed: list[tuple[Deadline, DeadlineState]] = []
        for row, (old, new) in enumerate(zip(self._rows, fresh, strict=True)):
            if old.state is not new.state or old.due != new.due:
                changed.append((new, old.state))
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._rows = fresh
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_LEFT), self.index(len(self._rows) - 1, COL_LEFT)
            )
        return changed

    def set_flashing(self, rows: set[int], on: bool) -> None:
        """Rows that just turned amber or red blink until the user looks (a few seconds)."""
        touched = rows | self._flashing
        self._flashing, self._flash_on = set(rows), on
        for row in touched:
            if 0 <= row < len(self._rows):
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- lookups ---------------------------------------------------------------------------

    def deadline_at(self, row: int) -> Deadline:
        return self._rows[row]

    def row_of(self, key: str) -> int | None:
        return next((r for r, d in enumerate(self._rows) if d.key == key), None)

    def deadlines(self) -> list[Deadline]:
        return list(self._rows)

    @property
    def facts(self) -> IncidentFacts | None:
        return self._facts

    @property
    def zone(self) -> tzinfo:
        return self._zone

    # -- Qt model --------------------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        deadline = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(deadline, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(deadline)
        _label, background, foreground = STATE_STYLE[deadline.state]
        if deadline.state is DeadlineState.MET and theme_colours().dark_mode:
            background, foreground = DARK_MET  # the pale green glares on a dark theme
        flashing = index.row() in self._flashing and self._flash_on
        if role == Qt.ItemDataRole.BackgroundRole and column in (COL_LEFT, COL_STATE):
            if flashing:
                return QBrush(QColor("#ffffff"))
            return QBrush(QColor(background)) if background else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (COL_LEFT, COL_STATE) and foreground and not flashing:
                return QBrush(QColor(foreground))
            if deadline.state is DeadlineState.NOT_APPLICABLE:
                return QBrush(qcolour("muted"))
        if role == Qt.ItemDataRole.FontRole:
            if column == COL_LEFT and deadline.state in (
                DeadlineState.DUE_SOON,
                DeadlineState.OVERDUE,
            ):
                return self._bold
            if deadline.state is DeadlineState.NOT_APPLICABLE:
                return self._italic
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_LEFT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, deadline: Deadline, column: int) -> str:
        if column == COL_NAME:  # a regulatory clock names its article
            return f"{deadline.name} · {deadline.cite}" if deadline.cite else deadline.name
        if column == COL_DUE:
            if deadline.due is None:
                return "—"
            due = deadline.due.astimezone(self._zone)
            today = self._now.astimezone(self._zone).date() if self._now else due.date()
            return f"{due:%H:%M}" if due.date() == today else f"{due:%a %d %H:%M}"
        if column == COL_LEFT:
            if deadline.state in (DeadlineState.MET, DeadlineState.NOT_APPLICABLE):
                return ""
            return countdown_text(deadline)
        label = f"⚠ {DUE_NOW}" if deadline.in_grace else STATE_STYLE[deadline.state][0]
        if deadline.state is DeadlineState.MET and deadline.met_at is not None:
            return f"{label} {deadline.met_at.astimezone(self._zone):%H:%M}"
        if deadline.send_failure is not None:  # a failed send meets nothing: say why it is open
            if deadline.state is DeadlineState.UPCOMING:
                return "⚠ Send failed"
            return f"{label} · send failed"
        return label

    def _tooltip(self, deadline: Deadline) -> str:
        lines = [deadline.name]
        if deadline.cite or deadline.audience:
            lines.append(" · ".join(p for p in (deadline.cite, deadline.audience) if p))
        if deadline.due is not None:
            lines.append(f"Due {deadline.due.astimezone(self._zone):%Y-%m-%d %H:%M}")
        if deadline.state is DeadlineState.MET:
            lines.append(f"Met by {deadline.met_by or '?'}: {deadline.how or ''}")
        if deadline.reason_not_applicable:
            lines.append(deadline.reason_not_applicable)
        if deadline.send_failure is not None:
            failure = deadline.send_failure
            lines.append(
                f"The last send failed at {failure.at.astimezone(self._zone):%H:%M}: "
                f"{failure.reason}"
            )
        if deadline.snoozed_until is not None:
            lines.append(
                f"Alerts snoozed until {deadline.snoozed_until.astimezone(self._zone):%H:%M}"
            )
        return "\n".join(lines)
