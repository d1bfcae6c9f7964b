"""The timeline's kinds on screen: the picker beside the text filter (all, key events only,
or one kind) and the tag before each event."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from commander.ui.features.timeline.timeline_kinds import kind_filter_choices
from commander.ui.features.timeline.timeline_model import KIND_ROLE


class KindFilterBox(QComboBox):
    """Its ``value()`` is what ``TimelineModel.set_kind_filter`` takes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Filter by kind")
        self.setToolTip("Show one kind of entry, or the key events only")
        for text, value in kind_filter_choices():
            self.addItem(text, value)

    def value(self) -> str:
        return str(self.currentData() or "")

    def set_value(self, value: str) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class KindTagDelegate(QStyledItemDelegate):
    """Shows the Event cell as ``◆ decision by bob: roll back to 1.42``.

    The tag is the model's ``KIND_ROLE``; the cell's own text (copied, filtered, tested)
    stays the event alone.
    """

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        tag = index.data(KIND_ROLE)
        if tag:
            option.text = f"{tag}:  {option.text}"  # type: ignore[attr-defined]
