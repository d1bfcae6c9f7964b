"""*Paste chat…*: the preview of chat copied from Slack or Teams, before it is logged.

The scribe sees which layout the text was read as, each message with its own time, sender
and text (trim a row with its check box, correct a sender or a text in place), the day an
undated run was placed on (and can move it), and every line that was not taken. *Log N
messages* writes the kept ones in one transaction; a refusal names the message, inline, and
nothing is logged.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.chat_paste import ChatPaste
from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.chat_import import Logged, log_chat, read_chat
from commander.services.workspace import Workspace
from commander.ui.common.themes import set_role
from commander.ui.features.timeline.chat_paste_model import (
    COL_FROM,
    COL_KEEP,
    COL_TEXT,
    COL_TIME,
    ChatPasteModel,
)

REPARSE_MS = 250  # typing or pasting into the text box re-reads it after this pause
FIT_ROWS_MAX = 300  # rows fitted to their text; a longer paste keeps one line a row (speed)


class ChatPasteDialog(QDialog):
    """Preview pasted chat and log the kept messages into ``incident``.

    Signals:
        sig_logged(Logged): the messages were logged (the entries and their changes).
    """

    sig_logged = Signal(object)

    def __init__(
        self, workspace: Workspace, incident: Incident, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._incident = incident
        self._paste: ChatPaste | None = None
        self._first_day: date | None = None
        self.setWindowTitle(f"Paste chat into {incident.ref}")
        self.setAccessibleName("Paste chat")
        self.model = ChatPasteModel(workspace.zone, self)
        self.skipped_model = QStringListModel(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REPARSE_MS)
        self._timer.timeout.connect(self._read)
        self._setup_ui()
        self.text_edit.setPlainText(text)
        self._read()

    def _setup_ui(self) -> None:
        self.resize(1000, 620)
        layout = QVBoxLayout(self)
        source = QLabel("Chat &text copied from Slack or Teams:", self)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName("Chat text")
        self.text_edit.setMaximumHeight(110)
        self.text_edit.textChanged.connect(self._timer.start)
        source.setBuddy(self.text_edit)
        layout.addWidget(source)
        layout.addWidget(self.text_edit)

        found = QHBoxLayout()
        self.format_label = QLabel(self)
        self.format_label.setAccessibleName("Detected layout")
        found.addWidget(self.format_label, 1)
        self.day_label = QLabel("First message &on:", self)
        self.day_edit = QDateEdit(self)
        self.day_edit.setAccessibleName("Day of the first message")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.dateChanged.connect(self._on_day_changed)
        self.day_label.setBuddy(self.day_edit)
        found.addWidget(self.day_label)
        found.addWidget(self.day_edit)
        layout.addLayout(found)

        self.table = QTableView(self)
        self.table.setAccessibleName("Messages to log")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = self.table.horizontalHeader()
        for column, width in ((COL_KEEP, 44), (COL_TIME, 140), (COL_FROM, 160)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        self.skipped_label = QLabel(self)
        self.skipped_label.setAccessibleName("Lines not logged")
        self.skipped_view = QListView(self)
        self.skipped_view.setAccessibleName("Lines not taken")
        self.skipped_view.setModel(self.skipped_model)
        self.skipped_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped_view.setMaximumHeight(96)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped_view)

        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # it quotes pasted text
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Error")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(self)
        self.all_button = QPushButton("Keep &all", self)
        self.none_button = QPushButton("Keep &none", self)
        self.all_button.setAccessibleName("Keep all")
        self.none_button.setAccessibleName("Keep none")
        self.all_button.clicked.connect(lambda: self.model.set_all_kept(True))
        self.none_button.clicked.connect(lambda: self.model.set_all_kept(False))
        self.buttons.addButton(self.all_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.none_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.log_button = QPushButton(self)
        self.log_button.setDefault(True)
        self.buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._log)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.model.sig_kept_changed.connect(self._on_kept_changed)

    # -- reading ----------------------------------------------------------------------------

    def _read(self) -> None:
        """Read the text box again (the first day as chosen), keeping trims and edits."""
        self._timer.stop()
        try:
            paste = read_chat(self._ws, self.text_edit.toPlainText(), first_day=self._first_day)
        except CommanderError as err:
            self._show_error(str(err))
            return
        self._show_error("")
        self._paste = paste
        self.model.set_messages(paste.messages, self.model.rows())
        count = len(paste.messages)
        noun = "message" if count == 1 else "messages"
        self.format_label.setText(f"Read as <b>{paste.label}</b>: {count} {noun}")
        undated = paste.first_day is not None
        self.day_label.setVisible(undated)
        self.day_edit.setVisible(undated)
        if paste.first_day is not None:
            self.day_edit.blockSignals(True)
            day = paste.first_day
            self.day_edit.setDate(QDate(day.year, day.month, day.day))
            self.day_edit.blockSignals(False)
        lines = [f"line {s.line}: {s.text} — {s.reason}" for s in paste.skipped]
        self.skipped_model.setStringList(lines)
        self.skipped_label.setText(
            f"{len(lines)} line{'' if len(lines) == 1 else 's'} not taken as messages:"
            if lines
            else "Every line was read as part of a message."
        )
        self.skipped_view.setVisible(bool(lines))
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
            if count <= FIT_ROWS_MAX
            else QHeaderView.ResizeMode.Interactive
        )

    def _on_day_changed(self, value: QDate) -> None:
        self._first_day = date(value.year(), value.month(), value.day())
        self._read()

    def _on_kept_changed(self, kept: int) -> None:
        self.log_button.setText(f"&Log {kept} message{'' if kept == 1 else 's'}")
        self.log_button.setAccessibleName(self.log_button.text().replace("&", ""))
        self.log_button.setEnabled(kept > 0)

    # -- logging ----------------------------------------------------------------------------

    def _log(self) -> None:
        if self._timer.isActive():
            self._read()  # the text box changed a moment ago: log what it says now
        try:
            logged: Logged = log_chat(self._ws, self._incident.id, self.model.kept())
        except CommanderError as err:
            self._show_error(str(err))
            return
        self.sig_logged.emit(logged)
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
