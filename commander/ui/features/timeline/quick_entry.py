"""The scribe's quick-entry bar under the timeline: one line per Enter, and Undo for it.

The scribe logs one line per Enter, twenty a minute; so Enter logs from any field, the fields
clear and keep focus, and a refusal shows inline with the text kept. A clock time later today
is not guessed into the past: the bar says so and offers the other reading (yesterday) as one
button (Alt+Y). The bar only writes; the timeline panel shows the logged entry (``sig_logged``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from commander.core.chat_paste import Format, detect
from commander.core.errors import CommanderError, FutureTimeError
from commander.core.records import Incident
from commander.services.incidents import IncidentService
from commander.ui.common.themes import set_role

UNDO_REASON = "Undone"
KIND_HINT = "10:42 a: rolled back @alice — kinds o: a: d: c: ? — Enter"
KIND_TIP = (
    "Start a line with its kind: o: observation, a: action, d: decision "
    "(d: @bob … names who decided), c: communication, ? question (or end it with ?). "
    "An optional HH:MM before it gives the time; @name at the end, the owner."
)


class QuickEntryBar(QWidget):
    """Event, action and owner fields, the inline error, and Undo of this session's entries.

    Signals:
        sig_logged(TimelineEntry, ChangeSet): an entry was just logged from the bar, and
            what that write changed (the refresh for it: nothing needs to read it back).
        sig_local_change: an entry was undone (struck); the window should refresh.
        sig_message(str): a short note for the status bar.
        sig_chat_pasted(str): several lines of Slack or Teams chat were pasted into the
            event field; the window opens the chat preview instead of pasting them.
    """

    sig_logged = Signal(object, object)
    sig_chat_pasted = Signal(str)
    sig_local_change = Signal()
    sig_message = Signal(str)
    sig_focus_requested = Signal()  # focus() was called: whoever hides the bar shows it

    def __init__(self, service: IncidentService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._incident: Incident | None = None
        self._session_entries: list[str] = []  # entries logged here, for Undo
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)  # the panel's spacing, so the bar lays out as its own rows did
        entry_row = QHBoxLayout()
        entry_row.setSpacing(6)
        self.event_edit = QLineEdit(self)
        self.event_edit.setAccessibleName("Event")
        self.event_edit.setPlaceholderText(KIND_HINT)
        self.event_edit.setToolTip(KIND_TIP)
        self.action_edit = QLineEdit(self)
        self.action_edit.setAccessibleName("Action taken")
        self.action_edit.setPlaceholderText("Action taken")
        self.owner_edit = QLineEdit(self)
        self.owner_edit.setAccessibleName("Owner")
        self.owner_edit.setPlaceholderText("Owner")
        self.owner_edit.setMaximumWidth(110)
        entry_row.addWidget(self.event_edit, 5)
        entry_row.addWidget(self.action_edit, 3)
        entry_row.addWidget(self.owner_edit, 1)
        layout.addLayout(entry_row)
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Entry error")
        set_role(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.yesterday_button = QPushButton(self)
        self.yesterday_button.setAccessibleName("Log it yesterday")
        self.yesterday_button.setAutoDefault(False)
        self.yesterday_button.hide()
        self.yesterday_button.clicked.connect(self._log_yesterday)
        error_row = QHBoxLayout()
        error_row.setSpacing(6)
        error_row.addWidget(self.error_label, 1)
        error_row.addWidget(self.yesterday_button)
        layout.addLayout(error_row)
        self._yesterday_line: str | None = None
        QWidget.setTabOrder(self.event_edit, self.action_edit)
        QWidget.setTabOrder(self.action_edit, self.owner_edit)

        for edit in (self.event_edit, self.action_edit, self.owner_edit):
            edit.returnPressed.connect(self._on_return_pressed)
            edit.installEventFilter(self)
        self.event_edit.textEdited.connect(self.clear_error)

    def set_incident(self, incident: Incident | None) -> None:
        """Log into ``incident`` from now on; a refusal about the previous one goes away."""
        self._incident = incident
        self.clear_error()

    def focus(self) -> None:
        self.sig_focus_requested.emit()  # first: a hidden line edit takes no focus
        self.event_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def last_logged_id(self) -> str | None:
        return self._session_entries[-1] if self._session_entries else None

    def _on_return_pressed(self) -> None:
        self._log(self.event_edit.text())

    def _log_yesterday(self) -> None:
        if self._yesterday_line is not None:
            self._log(self._yesterday_line)

    def _log(self, line: str) -> None:
        if self._incident is None:
            return
        if not any(e.text().strip() for e in (self.event_edit, self.action_edit, self.owner_edit)):
            self.clear_error()  # a spare Enter (after a dialog closed) logs nothing, says nothing
            return
        try:
            entry, changes = self._service.log_quick(
                self._incident.id,
                line,
                action=self.action_edit.text(),
                owner=self.owner_edit.text(),
            )
        except FutureTimeError as err:
            self._show_error(str(err), yesterday_line=err.yesterday_line)
            return
        except CommanderError as err:
            self._show_error(str(err))
            return
        self._session_entries.append(entry.id)
        for edit in (self.event_edit, self.action_edit, self.owner_edit):
            edit.setText("")  # unlike clear(), also empties the field's own undo history
        self.clear_error()
        self.event_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_logged.emit(entry, changes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Let Ctrl+Z reach "Undo last entry" when a quick-entry field has nothing to undo,
        and send a pasted run of chat messages to the chat preview.

        Right after Enter the scribe's focus is still in the (empty) field, and Ctrl+Z there
        should take back the entry just logged, not do nothing. A line edit would flatten a
        pasted chat into one line; the preview logs each message at its own time instead.
        """
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
            and watched is self.event_edit
            and self._incident is not None
        ):
            text = QGuiApplication.clipboard().text()
            if is_chat(text):
                self.sig_chat_pasted.emit(text)
                return True
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and isinstance(watched, QLineEdit)
            and not watched.isUndoAvailable()
        ):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _show_error(self, text: str, *, yesterday_line: str | None = None) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self._yesterday_line = yesterday_line
        if yesterday_line is not None:
            when = " ".join(yesterday_line.split()[:2])
            self.yesterday_button.setText(f"Log at &{when}")
        self.yesterday_button.setVisible(yesterday_line is not None)

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
        self._yesterday_line = None
        self.yesterday_button.hide()

    def undo_last_entry(self) -> bool:
        """Strike the last entry logged in this session: undo for an append-only log."""
        while self._session_entries:
            entry_id = self._session_entries.pop()
            found = self._service.entries([entry_id])
            if not found or found[0].struck:
                continue
            try:
                self._service.strike(entry_id, UNDO_REASON)
            except CommanderError as err:
                self.sig_message.emit(str(err))
                return False
            self.sig_local_change.emit()
            self.sig_message.emit(f"Undone: {found[0].event}")
            return True
        self.sig_message.emit("Nothing to undo")
        return False


def is_chat(text: str) -> bool:
    """Several lines in a layout the chat preview reads (one line pastes as usual)."""
    lines = text.splitlines()
    return sum(1 for line in lines if line.strip()) >= 2 and detect(lines) != Format.UNKNOWN
