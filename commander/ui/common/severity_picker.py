"""Severity as one keyboard stop: what has focus is what is selected.

Four radio buttons in the tab chain let Tab land on P0 while P1 stays checked, so Enter then
declares a P1. Here only the checked button takes Tab focus; arrow keys and the digits 0-3 move
the choice, and focus follows it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from commander.core.policy import Severity
from commander.ui.common.severity_badge import shown_names

_BACK = (Qt.Key.Key_Left, Qt.Key.Key_Up)
_ON = (Qt.Key.Key_Right, Qt.Key.Key_Down)
_DIGITS = {Qt.Key.Key_0 + s.rank: s for s in Severity}


class SeverityPicker(QWidget):
    """P0 ... P3 as radio buttons with one tab stop.

    Signals:
        sig_changed(str): the severity chosen ("P0" ...).
    """

    sig_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Severity")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[Severity, QRadioButton] = {}
        names = shown_names()
        for severity in Severity:
            button = QRadioButton(names.label(severity), self)
            button.setAccessibleName(f"Severity {names.label(severity)}")
            button.setToolTip("Digits 0-3 or the arrow keys choose the severity")
            button.installEventFilter(self)
            self.group.addButton(button, severity.rank)
            self.buttons[severity] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.idToggled.connect(self._on_toggled)

    def severity(self) -> Severity:
        return Severity(f"P{self.group.checkedId()}")

    def set_severity(self, severity: Severity) -> None:
        self.buttons[severity].setChecked(True)

    def _on_toggled(self, rank: int, checked: bool) -> None:
        if not checked:
            return
        for severity, button in self.buttons.items():
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if severity.rank == rank else Qt.FocusPolicy.ClickFocus
            )
        self.sig_changed.emit(f"P{rank}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows and digits on a severity button choose; focus moves with the choice."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QRadioButton):
            watched.setChecked(True)  # a click or Shift+Tab: focus is the choice
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key, ranks = event.key(), len(self.buttons)
        wanted: Severity | None = _DIGITS.get(Qt.Key(key))
        if key in _BACK or key in _ON:
            step = -1 if key in _BACK else 1
            wanted = Severity(f"P{min(max(self.severity().rank + step, 0), ranks - 1)}")
        if wanted is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return super().eventFilter(watched, event)
        self.set_severity(wanted)
        self.buttons[wanted].setFocus(Qt.FocusReason.TabFocusReason)
        return True
