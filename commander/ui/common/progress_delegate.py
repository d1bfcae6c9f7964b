"""Draws a small progress bar in cells whose model gives ``(done, total)`` for a role.

App-agnostic: any view column whose rows carry a progress tuple (checklists per phase) gets
a bar with "done/total" on it; other cells are drawn as usual. The bar is painted here rather
than by the style: a style's bar squeezed into a tree row loses its text behind the chunk.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

TRACK = QColor("#e6ebeb")
FILL = QColor("#a9c4c1")  # the accent #3a5b5b, light enough for dark text on it
DONE = QColor("#3a5b5b")
BORDER = QColor("#9aa9a9")
TEXT = QColor("#1c2b2b")


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
        rect: QRect = option.rect.adjusted(3, 3, -3, -3)  # type: ignore[attr-defined]
        complete = total > 0 and done >= total
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(rect, TRACK)
        if total > 0 and done > 0:
            filled = QRect(rect)
            filled.setWidth(max(1, round(rect.width() * done / total)))
            painter.fillRect(filled, DONE if complete else FILL)
        painter.setPen(QPen(BORDER))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.setPen(QPen(QColor("white") if complete else TEXT))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{done}/{total}")
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Tall enough for a bar with its text (rows of a tree are tight by default)."""
        hint = super().sizeHint(option, index)
        font_height = option.fontMetrics.height()  # type: ignore[attr-defined]
        return QSize(hint.width(), max(hint.height(), font_height + 10))
