"""Paints a cell's text with the parts that matched a search on the accent colour.

The model gives a ``Marked`` (text and match spans) through ``MARKED_ROLE``; other cells are
painted as usual. The text is drawn in runs on one line and elided at the cell's end, so a
long snippet never wraps or spills into the next column.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from commander.core.search_text import Marked
from commander.ui.common.themes import theme_colours

PAD = 4


def runs(marked: Marked) -> list[tuple[str, bool]]:
    """The text cut into (piece, matched) runs, in order; empty pieces left out."""
    out: list[tuple[str, bool]] = []
    last = 0
    for start, end in marked.spans:
        if start > last:
            out.append((marked.text[last:start], False))
        out.append((marked.text[start:end], True))
        last = end
    if last < len(marked.text):
        out.append((marked.text[last:], False))
    return out


class HighlightDelegate(QStyledItemDelegate):
    """Draws ``Marked`` values with their matches highlighted; everything else as usual."""

    def __init__(self, role: int, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._role = role

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        marked = index.data(self._role)
        if not isinstance(marked, Marked):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette: QPalette = opt.palette  # type: ignore[attr-defined]
        normal = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        colours = theme_colours()
        mark_back, mark_text = QColor(colours.accent), QColor(colours.on_accent)
        back = QBrush(mark_back if not selected else mark_text)  # fillRect(QColor) is slow
        if selected:  # the selection is drawn on the accent: the mark turns the other way round
            mark_text = mark_back
        rect: QRect = opt.rect.adjusted(PAD, 0, -PAD, 0)  # type: ignore[attr-defined]
        metrics = opt.fontMetrics  # type: ignore[attr-defined]
        painter.save()
        painter.setClipRect(rect)
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        x = rect.left()
        right = rect.right()
        for piece, matched in runs(marked):
            width = metrics.horizontalAdvance(piece)
            if x + width > right:
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, right - x)
                width = metrics.horizontalAdvance(piece)
            box = QRect(x, rect.top(), width, rect.height())
            if matched:
                painter.fillRect(box.adjusted(0, 2, 0, -2), back)
            painter.setPen(mark_text if matched else normal)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignVCenter), piece)
            x += width
            if x >= right:
                break
        painter.restore()
