"""A label whose text always fits: the font shrinks (to a floor), then the text is elided.

Used for everything on the display, so no text is ever clipped at any screen size; the
full text stays in ``full_text`` (and the tooltip-free accessible description).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

SHRINK_FLOOR = 0.6  # never below 60 % of the intended size; elide instead


class FitLabel(QLabel):
    """Plain-text label sized by ``set_pixel_size``; its height is fixed to that font."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        bold: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        name: str = "",
        shrink: bool = True,
    ) -> None:
        """``shrink``: shrink the font to fit before eliding (False: elide at once, so rows
        of a list keep one size)."""
        super().__init__(parent)
        self._shrink = shrink
        self._full = text
        self._px = 14
        self._bold = bold
        self._pad = 0
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)
        if name:
            self.setAccessibleName(name)
        self.set_pixel_size(self._px)

    @property
    def full_text(self) -> str:
        return self._full

    def set_pixel_size(self, px: int, pad: int | None = None) -> None:
        """The intended font size in pixels, and padding around the text (pixels)."""
        self._px = max(6, px)
        if pad is not None:
            self._pad = pad
        font = self._font(self._px)
        self.setContentsMargins(self._pad, self._pad // 2, self._pad, self._pad // 2)
        self.setFixedHeight(QFontMetrics(font).height() + self._pad + 2)
        self._fit()

    def set_full_text(self, text: str) -> None:
        if text != self._full:
            self._full = text
            self._fit()

    def _font(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(self._bold)
        return font

    def _fit(self) -> None:
        width = self.contentsRect().width()
        px = self._px
        font = self._font(px)
        floor = max(6, int(self._px * SHRINK_FLOOR)) if self._shrink else px
        while px > floor and QFontMetrics(font).horizontalAdvance(self._full) > width:
            px -= max(1, px // 12)
            font = self._font(px)
        if font != self.font():
            self.setFont(font)
        text = QFontMetrics(font).elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        if text != self.text():
            self.setText(text)
        self.setAccessibleDescription(self._full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
