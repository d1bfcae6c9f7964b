"""Draws a small progress bar in cells whose model gives ``(done, total)`` for a role.

App-agnostic: any view column whose rows carry a progress tuple (checklists per phase) gets
a bar with "done/total" on it; other cells are drawn as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)


class ProgressDelegate(QStyledItemDelegate):
    def __init__(self, role: int, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._role = role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        progress = index.data(self._role)
        if not isinstance(progress, tuple) or len(progress) != 2:
            super().paint(painter, option, index)
            return
        done, total = progress
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)  # type: ignore[attr-defined]
        bar.minimum = 0
        bar.maximum = max(total, 1)
        bar.progress = done
        bar.text = f"{done}/{total}"
        bar.textVisible = True
        bar.state = option.state  # type: ignore[attr-defined]
        style = option.widget.style() if option.widget else QApplication.style()  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)  # type: ignore[attr-defined]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Tall enough for a bar with its text (rows of a tree are tight by default)."""
        hint = super().sizeHint(option, index)
        font_height = option.fontMetrics.height()  # type: ignore[attr-defined]
        return QSize(hint.width(), max(hint.height(), font_height + 10))
