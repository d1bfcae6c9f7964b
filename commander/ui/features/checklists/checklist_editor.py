"""The checklist editor: add, rename, remove and reorder steps; restore the procedure's.

Every change is saved at once (one op, the checklist as a whole, last writer wins) so there is
no "unsaved" state to lose; restoring the defaults or deleting a checklist asks first.

Signals:
    sig_saved: a checklist changed; the panels reload.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commander.core.checklists import Checklist, Step
from commander.core.errors import CommanderError
from commander.core.policy import Phase
from commander.core.runbooks import destructive_reasons
from commander.services.checklists import ChecklistService

ERROR_STYLE = "color: #b00020;"


class ChecklistEditorDialog(QDialog):
    sig_saved = Signal()

    def __init__(self, service: ChecklistService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.checklists: list[Checklist] = []
        self.confirm_box: QMessageBox | None = None
        self._loading = False
        self._setup_ui()
        self._load(None)

    def _setup_ui(self) -> None:
        self.setWindowTitle("Edit checklists")
        self.setAccessibleName("Edit checklists")
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.checklist_combo = QComboBox(self)
        self.checklist_combo.setAccessibleName("Checklist")
        label = QLabel("&Checklist:", self)
        label.setBuddy(self.checklist_combo)
        top.addWidget(label)
        top.addWidget(self.checklist_combo, 1)
        self.origin_label = QLabel(self)
        self.origin_label.setAccessibleName("Checklist origin")
        top.addWidget(self.origin_label)
        layout.addLayout(top)

        middle = QHBoxLayout()
        left = QVBoxLayout()
        self.step_list = QListWidget(self)
        self.step_list.setAccessibleName("Steps")
        left.addWidget(self.step_list, 1)
        grid = QGridLayout()
        self.add_button = QPushButton("&Add step", self)
        self.remove_button = QPushButton("&Remove", self)
        self.up_button = QPushButton("Move &up", self)
        self.down_button = QPushButton("Move do&wn", self)
        for n, button in enumerate(
            (self.add_button, self.remove_button, self.up_button, self.down_button)
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            grid.addWidget(button, n // 2, n % 2)
        left.addLayout(grid)
        middle.addLayout(left, 2)

        form = QFormLayout()
        self.text_edit = QLineEdit(self)
        self.text_edit.setAccessibleName("Step text")
        self.detail_edit = QLineEdit(self)
        self.detail_edit.setAccessibleName("Step detail")
        self.command_edit = QLineEdit(self)
        self.command_edit.setAccessibleName("Command")
        self.command_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.command_edit.setPlaceholderText("optional: kubectl get pods -n <namespace>")
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName("Command note")
        self.destructive_check = QCheckBox("Ask before copying (destructive)", self)
        self.destructive_check.setAccessibleName("Destructive")
        form.addRow("&Text:", self.text_edit)
        form.addRow("&Detail:", self.detail_edit)
        form.addRow("Co&mmand:", self.command_edit)
        form.addRow("&Note:", self.note_edit)
        self.rule_label = QLabel(self)
        self.rule_label.setAccessibleName("Destructive by rule")
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet(ERROR_STYLE)
        form.addRow("", self.destructive_check)
        form.addRow("", self.rule_label)
        hint = QLabel(
            "Placeholders are written <name>; they are filled per incident before copying. "
            "Commands that delete, patch, apply or fail over are marked destructive anyway.",
            self,
        )
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("", hint)
        middle.addLayout(form, 3)
        layout.addLayout(middle, 1)

        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Editor error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)

        new_row = QHBoxLayout()
        self.new_phase = QComboBox(self)
        self.new_phase.setAccessibleName("New checklist phase")
        for phase in Phase:
            self.new_phase.addItem(phase.label, phase.value)
        self.new_title = QLineEdit(self)
        self.new_title.setAccessibleName("New checklist title")
        self.new_title.setPlaceholderText("New checklist title")
        self.new_button = QPushButton("Add chec&klist", self)
        self.new_button.setAccessibleName("Add checklist")
        new_row.addWidget(self.new_phase)
        new_row.addWidget(self.new_title, 1)
        new_row.addWidget(self.new_button)
        layout.addLayout(new_row)

        bottom = QHBoxLayout()
        self.restore_button = QPushButton("Restore &defaults…", self)
        self.restore_button.setAccessibleName("Restore defaults")
        self.delete_button = QPushButton("Delete checklist…", self)
        self.delete_button.setAccessibleName("Delete checklist")
        bottom.addWidget(self.restore_button)
        bottom.addWidget(self.delete_button)
        bottom.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter in a field saves it; it must not add a step
        self.command_edit.textChanged.connect(self._show_rule)
        self.checklist_combo.currentIndexChanged.connect(lambda _n: self._show_checklist())
        self.step_list.currentRowChanged.connect(lambda _n: self._show_step())
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        for edit, name in (
            (self.text_edit, "text"),
            (self.detail_edit, "detail"),
            (self.command_edit, "command"),
            (self.note_edit, "note"),
        ):
            edit.editingFinished.connect(lambda e=edit, n=name: self._edit_field(n, e.text()))
        self.destructive_check.toggled.connect(lambda on: self._edit_field("destructive", on))
        self.new_button.clicked.connect(self.new_checklist)
        self.new_title.returnPressed.connect(self.new_checklist)
        self.restore_button.clicked.connect(self.restore_defaults)
        self.delete_button.clicked.connect(self.delete_checklist)

    # -- showing -------------------------------------------------------------------------

    def _load(self, checklist_key: str | None, step_key: str | None = None) -> None:
        self._loading = True
        try:
            self.checklists = self._service.checklists()
            self.checklist_combo.clear()
            for checklist in self.checklists:
                self.checklist_combo.addItem(
                    f"{checklist.phase.label} · {checklist.title}", checklist.key
                )
            row = self._row_of(checklist_key) if checklist_key else 0
            self.checklist_combo.setCurrentIndex(row if row is not None else 0)
        finally:
            self._loading = False
        self._show_checklist(step_key)

    def _row_of(self, checklist_key: str) -> int | None:
        return next((n for n, c in enumerate(self.checklists) if c.key == checklist_key), None)

    def select_checklist(self, checklist_key: str) -> None:
        row = self._row_of(checklist_key)
        if row is not None:
            self.checklist_combo.setCurrentIndex(row)

    def current_checklist(self) -> Checklist | None:
        row = self.checklist_combo.currentIndex()
        return self.checklists[row] if 0 <= row < len(self.checklists) else None

    def current_step(self) -> Step | None:
        checklist, row = self.current_checklist(), self.step_list.currentRow()
        if checklist is None or not 0 <= row < len(checklist.steps):
            return None
        return checklist.steps[row]

    def _show_checklist(self, step_key: str | None = None) -> None:
        if self._loading:
            return
        checklist = self.current_checklist()
        self._loading = True
        try:
            self.step_list.clear()
            for step in checklist.steps if checklist else ():
                item = QListWidgetItem(step.text, self.step_list)
                item.setData(Qt.ItemDataRole.UserRole, step.key)
                if step.command and step.command != step.text:
                    item.setToolTip(f"$ {step.command}")
            keys = [s.key for s in checklist.steps] if checklist else []
            row = keys.index(step_key) if step_key in keys else 0
            self.step_list.setCurrentRow(row if keys else -1)
        finally:
            self._loading = False
        if checklist is not None:
            origin = (
                "the procedure's, edited"
                if checklist.edited
                else "the procedure's"
                if checklist.builtin
                else "added in this workspace"
            )
            self.origin_label.setText(f"{len(checklist.steps)} steps · {origin}")
            self.restore_button.setEnabled(checklist.edited)
            self.delete_button.setEnabled(not checklist.builtin)
        self._show_step()

    def _show_step(self) -> None:
        if self._loading:
            return
        step = self.current_step()
        self._loading = True
        try:
            self.text_edit.setText(step.text if step else "")
            self.detail_edit.setText(step.detail if step else "")
            self.command_edit.setText(step.command if step else "")
            self.note_edit.setText(step.note if step else "")
            self.destructive_check.setChecked(bool(step and step.destructive))
            for widget in (
                self.text_edit,
                self.detail_edit,
                self.command_edit,
                self.note_edit,
                self.destructive_check,
                self.remove_button,
                self.up_button,
                self.down_button,
            ):
                widget.setEnabled(step is not None)
        finally:
            self._loading = False

    def _show_rule(self, command: str) -> None:
        reasons = destructive_reasons(command)
        self.rule_label.setText("⚠ Destructive: " + "; ".join(reasons) if reasons else "")

    # -- changing ------------------------------------------------------------------------

    def _run(
        self, action: Callable[[], object], checklist_key: str | None, step: str | None
    ) -> bool:
        try:
            action()
        except CommanderError as err:
            self.error_label.setText(str(err))
            return False
        self.error_label.clear()
        self._load(checklist_key, step)
        self.sig_saved.emit()
        return True

    def _edit_field(self, name: str, value: str | bool) -> None:
        step, checklist = self.current_step(), self.current_checklist()
        if self._loading or step is None or checklist is None:
            return
        if getattr(step, name) == value:
            return
        self._run(
            lambda: self._service.edit_step(step.key, **{name: value}), checklist.key, step.key
        )

    def add_step(self) -> None:
        checklist, step = self.current_checklist(), self.current_step()
        if checklist is None:
            return
        added: list[str] = []

        def add() -> None:
            ref = self._service.add_step(
                checklist.key, "New step", after=step.key if step else None
            )
            added.append(ref.step.key)

        if self._run(add, checklist.key, None):
            self._show_checklist(added[0])
            self.text_edit.setFocus()
            self.text_edit.selectAll()

    def remove_step(self) -> None:
        checklist, step = self.current_checklist(), self.current_step()
        if checklist is None or step is None:
            return
        self._run(lambda: self._service.remove_step(step.key), checklist.key, None)

    def move_step(self, delta: int) -> None:
        checklist, step = self.current_checklist(), self.current_step()
        if checklist is None or step is None:
            return
        position = self.step_list.currentRow() + 1 + delta
        if not 1 <= position <= len(checklist.steps):
            return
        self._run(lambda: self._service.move_step(step.key, position), checklist.key, step.key)

    def new_checklist(self) -> None:
        title = self.new_title.text()
        phase = Phase(self.new_phase.currentData())
        made: list[str] = []

        def new() -> None:
            made.append(self._service.new_checklist(title, phase).key)

        if self._run(new, None, None):
            self.new_title.clear()
            self.select_checklist(made[0])

    def restore_defaults(self) -> QMessageBox | None:
        checklist = self.current_checklist()
        if checklist is None or not checklist.edited:
            return None
        return self._confirm(
            f"Restore “{checklist.title}” to the procedure's steps? "
            "This workspace's changes to it are dropped (ticks stay on the timeline).",
            lambda: self._run(
                lambda: self._service.restore_default(checklist.key), checklist.key, None
            ),
        )

    def delete_checklist(self) -> QMessageBox | None:
        checklist = self.current_checklist()
        if checklist is None or checklist.builtin:
            return None
        return self._confirm(
            f"Delete the checklist “{checklist.title}”?",
            lambda: self._run(lambda: self._service.delete_checklist(checklist.key), None, None),
        )

    def _confirm(self, text: str, then: Callable[[], object]) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Edit checklists", text, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = QMessageBox.StandardButton.Yes
        box.buttonClicked.connect(
            lambda button: then() if box.standardButton(button) == yes else None
        )
        self.confirm_box = box
        box.open()
        return box
