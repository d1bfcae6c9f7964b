"""Add or edit one action item: title, owner (type-ahead on the people directory), term, due
date (follows the term until changed by hand), status and a tracker link."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from commander.core.review import (
    STATUS_LABELS,
    TERM_LABELS,
    TERM_SPANS,
    ActionItem,
    ItemStatus,
    Term,
    default_due,
)
from commander.ui.common.form_dialog import FormDialog


@dataclass(frozen=True)
class ActionItemForm:
    """What the dialog's OK hands to the service."""

    title: str
    owner: str
    term: str
    due: date
    status: str
    tracker_url: str


class ActionItemDialog(FormDialog):
    """``on_submit(form)`` saves; a refusal (empty title, bad link) shows inline.

    Args:
        item: the item being edited, or None for a new one.
        owners: names offered by the owner field's type-ahead.
        today: the day a new item's due date counts from.
        context: a line shown above the form ("From timeline entry 10:42 ...").
    """

    def __init__(
        self,
        title: str,
        item: ActionItem | None,
        owners: Sequence[str],
        today: date,
        on_submit: Callable[[ActionItemForm], object],
        parent: QWidget | None = None,
        *,
        context: str = "",
        suggested_title: str = "",
    ) -> None:
        super().__init__(title, parent)
        self._on_submit = on_submit
        self._start = item.created_at.date() if item is not None else today
        self.result_value: object = None
        self.setMinimumWidth(480)
        if context:
            note = QLabel(context, self)
            note.setWordWrap(True)
            note.setAccessibleName("Linked timeline entry")
            note.setStyleSheet("color: #4a5454;")
            self._layout.addWidget(note)
        form = QFormLayout()
        self.title_edit = QLineEdit(item.title if item else suggested_title, self)
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText(
            "A specific improvement, e.g. Alert 14 days before expiry"
        )
        form.addRow("&Title", self.title_edit)
        self.owner_edit = QLineEdit(item.owner if item else "", self)
        self.owner_edit.setAccessibleName("Owner")
        self.owner_edit.setPlaceholderText("Who will do it")
        completer = QCompleter(QStringListModel(list(owners), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.owner_edit.setCompleter(completer)
        form.addRow("&Owner", self.owner_edit)
        self.term_combo = QComboBox(self)
        self.term_combo.setAccessibleName("Term")
        for term in Term.ALL:
            self.term_combo.addItem(f"{TERM_LABELS[term]} ({TERM_SPANS[term]})", term)
        self.term_combo.setCurrentIndex(Term.ALL.index(item.term) if item else 0)
        form.addRow("T&erm", self.term_combo)
        self.due_edit = QDateEdit(self)
        self.due_edit.setAccessibleName("Due date")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        due = item.due if item else default_due(Term.SHORT, today)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))
        form.addRow("&Due", self.due_edit)
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName("Status")
        for status in ItemStatus.ALL:
            self.status_combo.addItem(STATUS_LABELS[status], status)
        self.status_combo.setCurrentIndex(ItemStatus.ALL.index(item.status) if item else 0)
        form.addRow("&Status", self.status_combo)
        link_row = QHBoxLayout()
        self.tracker_edit = QLineEdit(item.tracker_url if item else "", self)
        self.tracker_edit.setAccessibleName("Tracker link")
        self.tracker_edit.setPlaceholderText("https://tracker.example/OPS-123 (optional)")
        self.open_button = QPushButton("Open", self)
        self.open_button.setAccessibleName("Open tracker link")
        self.open_button.clicked.connect(self._open_link)
        link_row.addWidget(self.tracker_edit, 1)
        link_row.addWidget(self.open_button)
        link_label = QLabel("Tracker &link", self)
        link_label.setBuddy(self.tracker_edit)
        form.addRow(link_label, link_row)
        self._layout.addLayout(form)
        self._finish_layout()
        # The due date follows the term until someone sets it by hand.
        self._due_follows_term = item is None or item.due == default_due(item.term, self._start)
        self.term_combo.currentIndexChanged.connect(self._on_term_changed)
        self.due_edit.dateChanged.connect(self._on_due_edited)
        self.tracker_edit.textChanged.connect(self._update_open_button)
        self._update_open_button()
        self.title_edit.setFocus()

    def form(self) -> ActionItemForm:
        qdate = self.due_edit.date()
        return ActionItemForm(
            title=self.title_edit.text(),
            owner=self.owner_edit.text(),
            term=str(self.term_combo.currentData()),
            due=date(qdate.year(), qdate.month(), qdate.day()),
            status=str(self.status_combo.currentData()),
            tracker_url=self.tracker_edit.text(),
        )

    def _submit(self) -> None:
        self.result_value = self._on_submit(self.form())

    def _on_term_changed(self) -> None:
        if not self._due_follows_term:
            return
        due = default_due(str(self.term_combo.currentData()), self._start)
        self.due_edit.blockSignals(True)
        self.due_edit.setDate(QDate(due.year, due.month, due.day))
        self.due_edit.blockSignals(False)

    def _on_due_edited(self) -> None:
        self._due_follows_term = False

    def _update_open_button(self) -> None:
        text = self.tracker_edit.text().strip().lower()
        self.open_button.setEnabled(text.startswith(("https://", "http://")))

    def _open_link(self) -> None:
        QDesktopServices.openUrl(QUrl(self.tracker_edit.text().strip()))
