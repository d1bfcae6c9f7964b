"""The Runbook tab: the procedure's diagnostic and recovery commands, filled for the incident,
one click (or Ctrl+C) from the clipboard. Commander never runs them.

Copying a command with unfilled placeholders first asks for them (once: they are kept with the
incident); a destructive command asks for a confirmation naming why it is destructive. After a
copy, "I ran it" (it does not block anything) logs "ran: <command>" as an action on the
timeline and ticks the step in its checklist.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.runbooks import RunbookService, RunbookStep, Source
from commander.ui.features.checklists.runbook_model import (
    COL_COMMAND,
    COL_DONE,
    COL_STEP,
    RunbookModel,
)
from commander.ui.features.comms.placeholder_dialog import PlaceholderDialog

FILLED_STYLE = "background:#d8e8e6;color:#1f3a3a;font-weight:bold;"  # accent #3a5b5b, light
INCIDENT_STYLE = "background:#e4ecf7;color:#1c3552;font-weight:bold;"
MISSING_STYLE = "background:#ffe2b8;color:#6b3a00;"
DESTRUCTIVE_STYLE = "color:#b00020;font-weight:bold;"
COMMAND_STYLE = "QLabel { background:#f5f7f7; border:1px solid #c9d3d3; padding:6px; }"


def command_html(step: RunbookStep) -> str:
    """The command as rich text: values highlighted (saved vs. from the incident), missing
    placeholders marked; everything else escaped verbatim."""
    sources = {p.name: p.source for p in step.placeholders}
    out = []
    for part in step.filled.parts:
        if part.name is None:
            out.append(html.escape(part.text))
        elif part.value is None:
            out.append(f'<span style="{MISSING_STYLE}">{html.escape(part.text)}</span>')
        else:
            style = INCIDENT_STYLE if sources.get(part.name) == Source.INCIDENT else FILLED_STYLE
            out.append(f'<span style="{style}">{html.escape(part.value)}</span>')
    return f'<span style="font-family:monospace;white-space:pre-wrap;">{"".join(out)}</span>'


class _CopyKeys(QObject):
    """Ctrl+C on the table copies the command: it claims the key before the window's own
    Ctrl+C (copy timeline rows), the way a text field does."""

    def __init__(self, on_copy: object, parent: QObject) -> None:
        super().__init__(parent)
        self._on_copy = on_copy

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                self._on_copy()  # type: ignore[operator]
                return True
        return False


class RunbookPanel(QWidget):
    """Signals:
    sig_local_change: a value or a "ran" entry was written; the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(self, service: RunbookService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._incident: Incident | None = None
        self.model = RunbookModel(self)
        self.dialog: PlaceholderDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.copied: tuple[str, str] | None = None  # (step key, the text on the clipboard)
        self._scroll_on_show = False
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Runbook")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        self.table = QTableView(self)
        self.table.setAccessibleName("Runbook steps")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DONE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_STEP, 170)
        header.setSectionResizeMode(COL_COMMAND, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.installEventFilter(_CopyKeys(self.copy_current, self))
        self.table.doubleClicked.connect(lambda _i: self.copy_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        layout.addWidget(self.table, 3)

        self.title_label = QLabel(self)
        self.title_label.setAccessibleName("Runbook step title")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight:bold;")
        layout.addWidget(self.title_label)
        self.destructive_label = QLabel(self)
        self.destructive_label.setAccessibleName("Destructive warning")
        self.destructive_label.setWordWrap(True)
        self.destructive_label.setStyleSheet(DESTRUCTIVE_STYLE)
        layout.addWidget(self.destructive_label)
        self.command_label = QLabel(self)
        self.command_label.setAccessibleName("Command to copy")
        self.command_label.setTextFormat(Qt.TextFormat.RichText)
        self.command_label.setWordWrap(True)
        self.command_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.command_label.setStyleSheet(COMMAND_STYLE)
        layout.addWidget(self.command_label)
        self.values_label = QLabel(self)
        self.values_label.setAccessibleName("Placeholder values")
        self.values_label.setWordWrap(True)
        layout.addWidget(self.values_label)

        buttons = QHBoxLayout()
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setToolTip("Copy the command to the clipboard (Ctrl+C in the list)")
        self.values_button = QPushButton("&Values…", self)
        self.values_button.setToolTip("Fill or change this command's placeholders")
        self.ran_button = QPushButton("I &ran it", self)
        self.ran_button.setToolTip("Log 'ran: <command>' on the timeline and tick the step")
        for button in (self.copy_button, self.values_button, self.ran_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        note = QLabel("Commander never runs commands: paste them into your terminal.", self)
        note.setAccessibleName("Runbook note")
        note.setStyleSheet("color:#5f6b6b;")
        layout.addWidget(note)
        self.copy_button.clicked.connect(self.copy_current)
        self.values_button.clicked.connect(lambda: self.ask_values(only_missing=False))
        self.ran_button.clicked.connect(self.confirm_ran)
        self._show_current()

    # -- showing -------------------------------------------------------------------------

    def set_incident(self, incident: Incident | None) -> None:
        other = incident is None or self._incident is None or incident.id != self._incident.id
        if other:
            self.copied = None
        if other or incident.phase != self._incident.phase:  # type: ignore[union-attr]
            # start at the (new) current phase's first command
            self.table.clearSelection()
            self.table.setCurrentIndex(self.model.index(-1, -1))
        self._incident = incident
        self.reload()

    def reload(self) -> None:
        key = self.current_key()
        if self._incident is None:
            self.model.set_steps([])
        else:
            try:
                self.model.set_steps(self._service.steps(self._incident.id))
            except CommanderError as err:
                self.sig_message.emit(str(err))
                return
        row = self.model.row_of(key) if key else None
        hint = QAbstractItemView.ScrollHint.EnsureVisible
        if row is None and self.model.rowCount():
            row = self._first_of_current_phase()
            hint = QAbstractItemView.ScrollHint.PositionAtTop
        self._fit_step_column()
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, COL_STEP), hint)
            # A hidden tab cannot scroll yet: do it again when it is shown.
            self._scroll_on_show = hint == QAbstractItemView.ScrollHint.PositionAtTop
        self._show_current()

    def _first_of_current_phase(self) -> int:
        """Where a newly shown incident starts: its phase's first command, if it has any."""
        phase = self._incident.phase if self._incident else None
        for row in range(self.model.rowCount()):
            if self.model.step_at(row).ref.checklist.phase == phase:
                return row
        return 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_step_column()

    def _fit_step_column(self) -> None:
        """Step names whole where they fit (a fixed 170 px cut them), up to half the width;
        the command takes the rest."""
        wanted = self.table.sizeHintForColumn(COL_STEP)
        limit = self.table.viewport().width() // 2
        self.table.horizontalHeader().resizeSection(COL_STEP, max(120, min(wanted, limit)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_step_column()
        index = self.table.currentIndex()
        if self._scroll_on_show and index.isValid():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtTop)
        self._scroll_on_show = False

    def current(self) -> RunbookStep | None:
        index = self.table.currentIndex()
        return self.model.step_at(index.row()) if index.isValid() else None

    def current_key(self) -> str | None:
        step = self.current()
        return step.ref.step.key if step else None

    def select_step(self, step_key: str) -> None:
        row = self.model.row_of(step_key)
        self._fit_step_column()
        if row is not None:
            self.table.selectRow(row)

    def _show_current(self) -> None:
        step = self.current()
        for button in (self.copy_button, self.values_button):
            button.setEnabled(step is not None)
        self.ran_button.setEnabled(
            step is not None and self.copied is not None and self.copied[0] == step.ref.step.key
        )
        if step is None:
            self.title_label.setText("No runbook step selected")
            self.destructive_label.hide()
            self.command_label.clear()
            self.values_label.clear()
            return
        done = " — ran" if step.done else ""
        self.title_label.setText(f"{step.ref.number}  {step.title}{done}")
        self.destructive_label.setText("⚠ Destructive: " + "; ".join(step.reasons))
        self.destructive_label.setVisible(step.destructive)
        self.command_label.setText(command_html(step))
        parts = []
        for holder in step.placeholders:
            if holder.value is None:
                parts.append(f"<{holder.name}> needed")
            else:
                origin = "from the incident" if holder.source == Source.INCIDENT else "saved"
                parts.append(f"<{holder.name}> = {holder.value} ({origin})")
        self.values_label.setText(" · ".join(parts) or "No placeholders")
        self.values_button.setEnabled(bool(step.placeholders))

    # -- copying -------------------------------------------------------------------------

    def copy_current(self) -> None:
        """Copy the selected command: ask for missing values, then confirm if destructive."""
        step = self.current()
        if step is None or self._incident is None:
            return
        if step.missing:
            self.ask_values(then_copy=True)
            return
        if step.destructive:
            self._confirm_destructive(step)
            return
        self._copy(step)

    def ask_values(self, *, only_missing: bool = True, then_copy: bool = False) -> None:
        step, incident = self.current(), self._incident
        if step is None or incident is None or not step.placeholders:
            return
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = PlaceholderDialog(
            step,
            lambda name, value: self._service.set_value(incident.id, name, value),
            self,
            only_missing=only_missing,
        )
        dialog.accepted.connect(lambda: self._after_values(then_copy))
        self.dialog = dialog
        dialog.open()

    def _after_values(self, then_copy: bool) -> None:
        self.reload()
        self.sig_local_change.emit()
        if then_copy:
            self.copy_current()

    def _confirm_destructive(self, step: RunbookStep) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Destructive command")
        box.setText(
            f"This command is destructive: {'; '.join(step.reasons)}.\n\n{step.text}\n\n"
            "Copy it to the clipboard?"
        )
        copy = box.addButton("Copy command", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAccessibleName("Confirm destructive command")
        box.buttonClicked.connect(lambda button: self._copy(step) if button is copy else None)
        self.confirm_box = box
        box.open()

    def _copy(self, step: RunbookStep) -> None:
        if step.text is None:  # pragma: no cover - guarded by copy_current
            return
        QGuiApplication.clipboard().setText(step.text)
        self.copied = (step.ref.step.key, step.text)
        self._show_current()
        self.sig_message.emit("Command copied — paste it in your terminal, then click 'I ran it'")

    def confirm_ran(self) -> None:
        """The user ran what they copied: log it on the timeline (non-blocking, any time)."""
        if self.copied is None or self._incident is None:
            return
        key, text = self.copied
        try:
            _step, changes = self._service.ran(self._incident.id, key, copied=text)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.copied = None
        self.reload()
        if changes:
            self.sig_local_change.emit()
        self.sig_message.emit(f"Logged on the timeline — ran: {text}")
