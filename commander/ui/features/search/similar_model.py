"""Similar past incidents as a table: what it was, why it resembles, what was done then."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from commander.services.similar import SimilarIncident
from commander.ui.common.columns import ColumnsTableModel
from commander.ui.common.severity_badge import shown_names
from commander.ui.common.zones import FollowsZone

_Index = QModelIndex | QPersistentModelIndex
(
    COL_INCIDENT,
    COL_SEVERITY,
    COL_DECLARED,
    COL_DURATION,
    COL_WHY,
    COL_CAUSE,
    COL_RESOLUTION,
    COL_RUNBOOK,
) = range(8)


class SimilarModel(ColumnsTableModel, FollowsZone):
    """Rows of ``SimilarIncident``, best match first."""

    COLUMNS = (
        "Incident",
        "Severity",
        "Declared",
        "Duration",
        "Why similar",
        "Root cause",
        "Resolution",
        "Runbook steps run",
    )

    def __init__(self, zone: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._items: list[SimilarIncident] = []

    def set_items(self, items: list[SimilarIncident]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> SimilarIncident:
        return self._items[row]

    def _row_count(self) -> int:
        return len(self._items)

    def _cells(self, item: SimilarIncident) -> tuple[str, ...]:
        past = item.incident
        return (
            f"{past.ref} — {past.title}",
            shown_names().key(past.severity),
            past.declared_at.astimezone(self._zone).strftime("%Y-%m-%d"),
            item.duration_text,
            item.explanation,
            item.root_cause or "—",
            item.resolution or "—",
            "; ".join(item.runbook_steps) or "—",
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cells(self._items[index.row()])[index.column()]
        return None
