"""Compare the versions of a review section written at the same time on two laptops.

The shown text and every competing version sit side by side, read-only but selectable (so a
sentence can be copied from one into the other afterwards); one button per version settles the
section on it through ``ReviewService.resolve``, which every replica then agrees on.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.review import REVIEW_LABELS
from commander.core.review_versions import Version
from commander.services.review import ReviewService

_WARN_STYLE = "color: #b00020;"


def when_text(at: datetime, zone: tzinfo, now: datetime) -> str:
    """``10:42`` today, ``Nov 27 10:42`` on another day (in the user's zone)."""
    local, today = at.astimezone(zone), now.astimezone(zone)
    return f"{local:%H:%M}" if local.date() == today.date() else f"{local:%b %d %H:%M}"


def use_label(version: Version, versions: list[Version], zone: tzinfo, now: datetime) -> str:
    """``Use bob's version``; with the time when bob has more than one competing version."""
    same = [v for v in versions if v.author == version.author]
    when = f" ({when_text(version.at, zone, now)})" if len(same) > 1 else ""
    return f"Use {version.author}'s version{when}"


class ReviewVersionsDialog(QDialog):
    """``chosen`` is the text the section was settled on, once a button was pressed."""

    def __init__(
        self,
        review: ReviewService,
        incident_id: str,
        key: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._review = review
        self._incident_id = incident_id
        self._key = key
        self.chosen: str | None = None
        self.use_buttons: list[QPushButton] = []
        self.texts: list[QPlainTextEdit] = []
        label = REVIEW_LABELS[key]
        self.setWindowTitle(f"Compare versions — {label}")
        self.setAccessibleName(f"Compare versions of {label}")
        self.setMinimumSize(760, 380)
        zone, now = review.workspace.zone, review.workspace.clock.now()
        shown_text = review.review_fields(incident_id)[key]
        shown = review.shown_version(incident_id, key)
        versions = review.competing_versions(incident_id).get(key, [])

        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>{label}</b> was edited on more than one laptop at the same time. Choose the "
            "text to keep; you can select and copy from either side first.",
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("What happened")
        layout.addWidget(intro)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        by = "" if shown is None else f" — {shown.author}, {when_text(shown.at, zone, now)}"
        self.keep_button = self._column(
            columns, f"Shown now{by}", shown_text, "Keep shown text", shown_text
        )
        for version in versions:
            caption = f"Not shown — {version.author}, {when_text(version.at, zone, now)}"
            button = self._column(
                columns,
                caption,
                version.text,
                use_label(version, versions, zone, now),
                version.text,
            )
            self.use_buttons.append(button)
        layout.addLayout(columns, 1)
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Error")
        self.error_label.setStyleSheet(_WARN_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Decide later")
        cancel.setAccessibleName("Decide later")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _column(
        self, columns: QHBoxLayout, caption: str, text: str, action: str, chosen: str
    ) -> QPushButton:
        box = QGroupBox(caption, self)
        box.setAccessibleName(caption)
        inner = QVBoxLayout(box)
        view = QPlainTextEdit(box)
        view.setPlainText(text)
        view.setReadOnly(True)
        view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        view.setAccessibleName(f"{caption}: text")
        view.setPlaceholderText("(empty)")
        self.texts.append(view)
        inner.addWidget(view, 1)
        button = QPushButton(action, box)
        button.setAccessibleName(action)
        button.setAutoDefault(False)  # Enter must not settle the section by accident
        button.clicked.connect(lambda: self.settle(chosen))
        inner.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
        columns.addWidget(box, 1)
        return button

    def settle(self, text: str) -> None:
        try:
            self._review.resolve(self._incident_id, self._key, text)
        except CommanderError as err:
            self.error_label.setText(str(err))
            self.error_label.show()
            return
        self.chosen = text
        self.accept()
