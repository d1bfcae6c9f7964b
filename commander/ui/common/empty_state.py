"""What the right side shows before there is any incident: say so, and offer the next step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from commander.ui.common.themes import set_role


class EmptyState(QWidget):
    """No incidents yet.

    Signals:
        sig_declare_requested: the user wants to declare an incident.
        sig_demo_requested: the user wants the demo incident loaded.
    """

    sig_declare_requested = Signal()
    sig_demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("No incidents")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel("No incidents in this workspace", self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setAccessibleName("No incidents in this workspace")
        hint = QLabel(
            "Declare an incident when something is broken, or load the demo incident\n"
            "to see how a worked timeline looks.",
            self,
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(hint, "muted")
        hint.setAccessibleName("Hint")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.declare_button = QPushButton("Declare incident…", self)
        self.declare_button.setAccessibleName("Declare incident")
        self.declare_button.setDefault(True)
        self.demo_button = QPushButton("Load demo incident", self)
        self.demo_button.setAccessibleName("Load demo incident")
        for button in (self.declare_button, self.demo_button):
            button.setMinimumHeight(34)
            button.setMinimumWidth(170)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(heading)
        layout.addSpacing(6)
        layout.addWidget(hint)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.declare_button.clicked.connect(self.sig_declare_requested)
        self.demo_button.clicked.connect(self.sig_demo_requested)
