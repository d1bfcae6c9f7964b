"""The incident list: active incidents first, then by severity, then most recent.

Refreshes keep the selection: rows are re-ordered with a layout change that moves persistent
indexes, instead of a reset that would clear what the commander had selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from commander.core.records import Incident
from commander.core.severity_names import SeverityNames
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.severity_badge import (
    severity_colours,
    severity_text,
    shown_names,
    use_severity_names,
)

COLUMNS = ("Sev", "Ref", "Title", "Status")
COL_SEVERITY, COL_REF, COL_TITLE, COL_STATUS = range(len(COLUMNS))
INCIDENT_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def incident_order(incident: Incident) -> tuple[bool, int, float]:
    """Active before resolved/closed, then P0 before P3, then most recently declared."""
    return (
        not incident.status.is_active,
        incident.severity.rank,
        -incident.declared_at.timestamp(),
    )


class IncidentListModel(ColumnsTableModel):
    """Sev | Ref | Title | Status, one row per incident."""

    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._incidents: list[Incident] = []

    def show(self, listing: tuple[list[Incident], SeverityNames]) -> None:
        """The incidents, named by the procedure the workspace runs now."""
        incidents, names = listing
        use_severity_names(names)
        self.set_incidents(incidents)

    def set_incidents(self, incidents: list[Incident]) -> None:
        """Bring the list up to date, keeping selection and current row where they were."""
        wanted = sorted(incidents, key=incident_order)
        known = {i.id for i in self._incidents}
        new = [i for i in wanted if i.id not in known]
        keep_ids = {i.id for i in wanted}
        # Removals (rare: nothing deletes incidents yet, but a reload might).
        for row in range(len(self._incidents) - 1, -1, -1):
            if self._incidents[row].id not in keep_ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._incidents[row]
                self.endRemoveRows()
        if new:
            first = len(self._incidents)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._incidents.extend(new)
            self.endInsertRows()
        by_id = {i.id: i for i in wanted}
        current = [by_id[i.id] for i in self._incidents]
        if [i.id for i in current] == [i.id for i in wanted]:
            self._incidents = current
        else:
            self.layoutAboutToBeChanged.emit()
            new_rows = {i.id: row for row, i in enumerate(wanted)}
            persistent = self.persistentIndexList()
            moved = []
            for index in persistent:
                incident_id = self._incidents[index.row()].id
                moved.append(self.index(new_rows[incident_id], index.column()))
            self._incidents = wanted
            self.changePersistentIndexList(persistent, moved)
            self.layoutChanged.emit()
        if self._incidents:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._incidents) - 1, len(COLUMNS) - 1)
            )

    def incident_at(self, row: int) -> Incident:
        return self._incidents[row]

    def row_of(self, incident_id: str) -> int | None:
        for row, incident in enumerate(self._incidents):
            if incident.id == incident_id:
                return row
        return None

    def incidents(self) -> list[Incident]:
        return list(self._incidents)

    # -- Qt model interface ----------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._incidents)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        incident = self._incidents[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_SEVERITY:
                return shown_names().key(incident.severity)
            if column == COL_REF:
                return incident.ref
            if column == COL_TITLE:
                return incident.title
            return incident.status.label
        if role == Qt.ItemDataRole.BackgroundRole and column == COL_SEVERITY:
            return severity_colours(incident.severity)[0]
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_SEVERITY:
            return severity_colours(incident.severity)[1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SEVERITY:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{incident.ref} — {incident.title}\n{severity_text(incident.severity)}, "
                f"{incident.status.label}, {incident.phase.label}"
            )
        if role == INCIDENT_ROLE:
            return incident
        return None
