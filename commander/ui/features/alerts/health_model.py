"""Health checks as a table: check, state (colour and word), days to expiry, detail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from commander.core.health import CheckResult, CheckState
from commander.integrations.monitoring_settings import HealthTarget
from commander.ui.common.columns import ColumnsTableModel

COLUMNS = ("Check", "State", "Expires in", "Detail")
COL_CHECK, COL_STATE, COL_EXPIRY, COL_DETAIL = range(len(COLUMNS))

# Okabe–Ito based, dark enough for text on the light palette; the word carries the meaning.
STATE_COLOURS = {
    CheckState.OK: QColor("#1e6b3a"),
    CheckState.WARNING: QColor("#8a5a00"),
    CheckState.CRITICAL: QColor("#b00020"),
    CheckState.FAILING: QColor("#b00020"),
}

_Index = QModelIndex | QPersistentModelIndex


def expiry_cell(result: CheckResult) -> str:
    days = result.days_to_expiry()
    if days is None:
        return ""
    if days < 0:
        return "expired"
    if days < 2:
        return f"{int(days * 24)} h"
    return f"{int(days)} days"


class HealthModel(ColumnsTableModel):
    """One row per configured target; a target not yet checked says so."""

    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._targets: list[HealthTarget] = []
        self._results: dict[tuple[str, str], CheckResult] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_targets(self, targets: tuple[HealthTarget, ...]) -> None:
        self.beginResetModel()
        self._targets = list(targets)
        self.endResetModel()

    def set_results(self, results: list[CheckResult]) -> None:
        self._results = {(r.kind, r.target): r for r in results}
        if self._targets:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._targets) - 1, 3))

    def result_at(self, row: int) -> CheckResult | None:
        target = self._targets[row]
        return self._results.get((target.kind, target.target))

    def results(self) -> list[CheckResult]:
        return [r for r in (self.result_at(n) for n in range(len(self._targets))) if r]

    def _row_count(self) -> int:
        return len(self._targets)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        target = self._targets[index.row()]
        result = self.result_at(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == COL_CHECK:
                kind = "Certificate" if target.kind == "tls" else "Health"
                return f"{kind}: {target.label}"
            if result is None:
                return "Not checked yet" if column == COL_STATE else ""
            if column == COL_STATE:
                flag = f" · {result.severity}" if result.severity else ""
                return result.state.label + flag
            if column == COL_EXPIRY:
                return expiry_cell(result)
            return result.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            text = target.target
            if result is not None:
                text += f"\n{result.detail}\nChecked {result.checked_at:%H:%M:%S} UTC"
            return text
        if result is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column in (COL_STATE, COL_EXPIRY):
            return QBrush(STATE_COLOURS[result.state])
        if role == Qt.ItemDataRole.FontRole and column == COL_STATE:
            return self._bold if result.state != CheckState.OK else None
        return None
