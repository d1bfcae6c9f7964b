"""The warning under a review section that another laptop also edited at the same time.

Last-writer-wins shows one text; without this line the other person's text would be gone from
every screen. "Compare…" opens the side-by-side dialog that settles the section.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from commander.core.review_versions import Version
from commander.ui.features.review.review_versions_dialog import when_text

NOTE_STYLE = "color: #8a4b00;"


def note_text(versions: list[Version], zone: tzinfo, now: datetime) -> str:
    """``⚠ Also edited at the same time by bob (10:42) — not shown``."""
    who = " and ".join(f"{v.author} ({when_text(v.at, zone, now)})" for v in versions)
    return f"\N{WARNING SIGN} Also edited at the same time by {who} — not shown"


class ConflictNote(QWidget):
    """Hidden until ``show_versions`` gets competing versions; ``sig_compare`` on the button."""

    sig_compare = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(f"Competing versions of {label}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setAccessibleName(f"Competing versions of {label}")
        self.label.setStyleSheet(NOTE_STYLE)
        self.label.setWordWrap(True)
        self.compare_button = QPushButton("Compare…", self)
        self.compare_button.setAccessibleName(f"Compare versions of {label}")
        self.compare_button.clicked.connect(self.sig_compare)
        row.addWidget(self.label, 1)
        row.addWidget(self.compare_button)
        self.hide()

    def show_versions(self, versions: list[Version], zone: tzinfo, now: datetime) -> None:
        self.label.setText(note_text(versions, zone, now) if versions else "")
        self.setVisible(bool(versions))


def stacked(editor: QWidget, note: ConflictNote, parent: QWidget) -> QWidget:
    """The editor with its warning line underneath, as one form field."""
    cell = QWidget(parent)
    stack = QVBoxLayout(cell)
    stack.setContentsMargins(0, 0, 0, 0)
    stack.setSpacing(4)
    stack.addWidget(editor)
    stack.addWidget(note)
    return cell
