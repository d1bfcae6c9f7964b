"""The command palette (Ctrl+K): type a few letters of any action, press Enter to run it.

An overlay inside the window (like an editor's palette, not a separate window: nothing for a
window manager to misplace). It lists ``collect_commands(window)`` each time it opens, so
it reaches every menu action, including ones added after start-up; disabled actions are shown
greyed and do nothing.

Signals:
    sig_triggered(str): the text of the action the palette just ran.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.ui.shell.command_model import COL_PATH, COL_SHORTCUT, COL_TEXT, CommandModel
from commander.ui.shell.commands import Command, collect_commands, filter_commands

_NAVIGATION = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class CommandPalette(QFrame):
    """Filter field above a list of commands; Enter runs the selected one, Esc closes."""

    sig_triggered = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._commands: list[Command] = []
        self.model = CommandModel(self)
        self._setup_ui()
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _setup_ui(self) -> None:
        self.setObjectName("commandPalette")
        self.setAccessibleName("Command palette")
        self.query_edit = QLineEdit(self)
        self.query_edit.setAccessibleName("Command")
        self.query_edit.setPlaceholderText("Type a command…  (↑↓ to choose, Enter to run)")
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.textChanged.connect(self._on_query_changed)
        self.query_edit.installEventFilter(self)
        self.view = QTableView(self)
        self.view.setAccessibleName("Commands")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing always goes to the field
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PATH, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SHORTCUT, QHeaderView.ResizeMode.ResizeToContents)
        self.view.clicked.connect(lambda index: self.trigger_row(index.row()))
        self.empty_label = QLabel("No command matches.", self)
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setAccessibleName("No match")
        self.empty_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)

    # -- opening ---------------------------------------------------------------------------

    def popup(self) -> None:
        """List the window's actions as they are now and show the palette over the window."""
        self._commands = collect_commands(self._window)
        self.query_edit.clear()
        self._on_query_changed("")
        self._place()
        self.show()
        self.raise_()  # above the central widget and docks
        self.query_edit.setFocus()

    def _place(self) -> None:
        """Centred under the menu bar; as tall as the matches need, up to most of the window."""
        width = min(720, max(420, self._window.width() - 80))
        rows = max(1, self.model.rowCount())
        wanted = (
            self.query_edit.sizeHint().height()
            + rows * self.view.verticalHeader().defaultSectionSize()
            + 40
            + (self.empty_label.sizeHint().height() if self.empty_label.isVisible() else 0)
        )
        height = min(wanted, max(200, self._window.height() - 160), 460)
        top = self._window.menuBar().height() + 24
        self.setGeometry((self._window.width() - width) // 2, top, width, height)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Close when focus moves elsewhere in the window (a click outside, Alt+Tab back)."""
        if self.isVisible() and new is not None and not self.isAncestorOf(new):
            self.hide()

    # -- filtering and running ---------------------------------------------------------------

    def _on_query_changed(self, text: str) -> None:
        shown = filter_commands(self._commands, text)
        self.model.set_commands(shown)
        self.empty_label.setText("No command matches.")
        self.empty_label.setVisible(not shown)
        if self.isVisible():
            self._place()
        first = next((n for n, c in enumerate(shown) if c.action.isEnabled()), 0 if shown else -1)
        if first >= 0:
            self.view.selectRow(first)

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def trigger_row(self, row: int) -> bool:
        """Run the command in ``row`` if it is enabled; the palette closes first."""
        if not 0 <= row < self.model.rowCount():
            return False
        command = self.model.command_at(row)
        if not command.action.isEnabled():
            self.empty_label.setText(f"“{command.text}” is not available now.")
            self.empty_label.show()
            return False
        self.hide()
        command.action.trigger()
        self.sig_triggered.emit(command.text)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.trigger_row(self.current_row())
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
            if key in _NAVIGATION:
                QApplication.sendEvent(self.view, event)  # move the selection; typing stays
                return True
        return super().eventFilter(watched, event)
