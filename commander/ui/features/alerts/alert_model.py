"""Alerts as a table: severity, state, alert, summary, since, incident.

Silenced, inhibited and resolved alerts are greyed *and* say so in the State column, so
nobody has to read a colour to know an alert is muted.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from commander.core.alert_mapping import label_text
from commander.services.alerts import AlertView
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.severity_badge import severity_colours
from commander.ui.common.zones import FollowsZone

COLUMNS = ("Sev", "State", "Alert", "Summary", "Since", "Incident")
COL_SEV, COL_STATE, COL_ALERT, COL_SUMMARY, COL_SINCE, COL_INCIDENT = range(len(COLUMNS))
FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole
MUTED = QColor("#6b6b6b")
FIRING_COLOUR = QColor("#b00020")

_Index = QModelIndex | QPersistentModelIndex


def since_text(start: datetime, now: datetime, zone: tzinfo) -> str:
    """``09:41 (23 min)``; a day or more back shows the date."""
    local = start.astimezone(zone)
    minutes = max(int((now - start).total_seconds() // 60), 0)
    age = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
    if minutes >= 24 * 60:
        return local.strftime("%Y-%m-%d %H:%M")
    return f"{local:%H:%M} ({age})"


class AlertModel(ColumnsTableModel, FollowsZone):
    """One row per alert, in the service's order (firing first)."""

    COLUMNS = COLUMNS

    def __init__(self, zone: tzinfo, now: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._now = now
        self._views: list[AlertView] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_views(self, views: list[AlertView]) -> None:
        """Same alerts in the same order: repaint changed rows only; else reset."""
        if [v.alert.fingerprint for v in views] == [v.alert.fingerprint for v in self._views]:
            for row, (old, new) in enumerate(zip(self._views, views, strict=True)):
                self._views[row] = new
                if old != new or new.alert.firing:  # "since" ages while firing
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._views = list(views)
        self.endResetModel()

    def view_at(self, row: int) -> AlertView:
        return self._views[row]

    def row_of(self, fingerprint: str) -> int | None:
        return next(
            (r for r, v in enumerate(self._views) if v.alert.fingerprint == fingerprint), None
        )

    def firing_count(self) -> int:
        return sum(1 for v in self._views if v.alert.state_text == "Firing")

    def _row_count(self) -> int:
        return len(self._views)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self._views[index.row()]
        alert = view.alert
        column = index.column()
        active = alert.state_text == "Firing"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == COL_SEV:
                return view.severity.value
            if column == COL_STATE:
                return alert.state_text
            if column == COL_ALERT:
                return alert.name
            if column == COL_SUMMARY:
                return alert.summary or alert.description
            if column == COL_SINCE:
                return since_text(alert.starts_at, self._now(), self._zone)
            return ", ".join(i.ref for i in view.incidents)
        if role == FINGERPRINT_ROLE:
            return alert.fingerprint
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{alert.name} ({alert.fingerprint})", label_text(alert.labels)]
            if alert.description:
                lines.append(alert.description)
            lines.append(f"Suggested severity: {view.reason}")
            if alert.silenced:
                lines.append("Silenced by " + ", ".join(alert.silenced_by))
            if alert.inhibited:
                lines.append("Inhibited by " + ", ".join(alert.inhibited_by))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_SEV and active:
            return QBrush(severity_colours(view.severity)[0])
        if role == Qt.ItemDataRole.ForegroundRole:
            if not active:
                return QBrush(MUTED)
            if column == COL_SEV:
                return QBrush(severity_colours(view.severity)[1])
            if column == COL_STATE:
                return QBrush(FIRING_COLOUR)
        if role == Qt.ItemDataRole.FontRole and active and column in (COL_SEV, COL_STATE):
            return self._bold
        if role == Qt.ItemDataRole.FontRole and not alert.firing:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SEV:
            return Qt.AlignmentFlag.AlignCenter
        return None
