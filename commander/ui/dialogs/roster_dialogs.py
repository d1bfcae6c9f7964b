"""Dialogs of the roster: assign in two keystrokes, the people directory, history, briefing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.people import Person, clean_person
from commander.core.roles import RoleDef
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.ui.dialogs.form_dialog import FormDialog


class AssignDialog(FormDialog):
    """Role combo and a person field with type-ahead on name and handle; Enter assigns.

    ``on_submit(role_key, person_text, note)`` does the work; refusals show inline.
    """

    def __init__(
        self,
        title: str,
        roles: Sequence[RoleDef],
        people: Sequence[Person],
        current_role: str | None,
        on_submit: Callable[[str, str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._on_submit = on_submit
        self.result_value: object = None
        self.setMinimumWidth(440)
        form = QFormLayout()
        self.role_combo = QComboBox(self)
        self.role_combo.setAccessibleName("Role")
        for role in roles:
            self.role_combo.addItem(role.name, role.key)
        if current_role is not None:
            self.role_combo.setCurrentIndex(max(self.role_combo.findData(current_role), 0))
        form.addRow("&Role", self.role_combo)
        self.person_edit = QLineEdit(self)
        self.person_edit.setAccessibleName("Person")
        self.person_edit.setPlaceholderText("Type a name or @handle")
        labels = [p.label for p in people]
        completer = QCompleter(QStringListModel(labels, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.person_edit.setCompleter(completer)
        form.addRow("&Person", self.person_edit)
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName("Handoff note")
        self.note_edit.setPlaceholderText("Optional: what the incoming holder must know")
        form.addRow("&Note", self.note_edit)
        self._layout.addLayout(form)
        self._finish_layout()
        self.person_edit.setFocus()

    def _submit(self) -> None:
        text = self.person_edit.text().strip()
        if text.endswith(")") and "(@" in text:  # a completer label: "Name (@handle)"
            text = text[text.rindex("(@") + 1 : -1]
        self.result_value = self._on_submit(
            str(self.role_combo.currentData()), text, self.note_edit.text()
        )


class BriefingDialog(QDialog):
    """The handoff briefing, shown to the incoming IC; Copy and Save as Markdown."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName("Handoff briefing")
        self.markdown = markdown
        self.resize(760, 680)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName("Briefing text")
        self.view.setMarkdown(markdown)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(
            "&Copy Markdown", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button = buttons.addButton("&Save as…", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setAccessibleName("Copy Markdown")
        self.save_button.setAccessibleName("Save as")
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(lambda: self.save())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.markdown)

    def save(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save briefing", "briefing.md", "Markdown (*.md);;All files (*)"
            )
        if not path:
            return None
        target = Path(path)
        try:
            target.write_text(self.markdown, encoding="utf-8")
        except OSError as err:
            QMessageBox.warning(self, "Commander", f"Could not save {target}: {err.strerror}")
            return None
        return target


class TextDialog(QDialog):
    """Read-only Markdown: a role's history, the response-team proposal."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName(title)
        self.view.setMarkdown(markdown)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


PEOPLE_COLUMNS = ("Name", "Handle", "Team", "E-mail", "Phone", "Roles")


class PeopleDialog(QDialog):
    """The people directory: edit in place, add, remove, import/export CSV, copy contacts."""

    def __init__(
        self, service: PeopleService, roster: RosterService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._roster = roster  # the role names shown for what each person can take
        self.setWindowTitle("People")
        self.setAccessibleName("People directory")
        self.resize(860, 480)
        layout = QVBoxLayout(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by name, handle or team")
        self.filter_edit.setAccessibleName("Filter people")
        self.filter_edit.textChanged.connect(self._apply_filter)
        layout.addWidget(self.filter_edit)
        # An editable grid: a table view over a standard item model.
        self.model = QStandardItemModel(0, len(PEOPLE_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(PEOPLE_COLUMNS))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("People")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("People status")
        layout.addWidget(self.status_label)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add row", self)
        self.save_button = QPushButton("&Save changes", self)
        self.remove_button = QPushButton("&Remove", self)
        self.copy_phone_button = QPushButton("Copy &phone", self)
        self.copy_email_button = QPushButton("Copy &e-mail", self)
        self.import_button = QPushButton("&Import CSV…", self)
        self.export_button = QPushButton("E&xport CSV…", self)
        for button in (
            self.add_button,
            self.save_button,
            self.remove_button,
            self.copy_phone_button,
            self.copy_email_button,
            self.import_button,
            self.export_button,
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_row)
        self.save_button.clicked.connect(self.save_changes)
        self.remove_button.clicked.connect(self.remove_current)
        self.copy_phone_button.clicked.connect(lambda: self.copy_contact(4))
        self.copy_email_button.clicked.connect(lambda: self.copy_contact(3))
        self.import_button.clicked.connect(lambda: self.import_csv())
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.reload()

    def reload(self) -> None:
        names = {r.key: r.name for r in self._roster.roles()}
        people = self._service.people()
        self.model.setRowCount(len(people))
        for row, p in enumerate(people):
            roles = "; ".join(names.get(r, r) for r in p.roles)
            for col, text in enumerate((p.name, p.handle, p.team, p.email, p.phone, roles)):
                item = QStandardItem(text)
                if col == 1:  # the handle is the identity
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.model.setItem(row, col, item)
        self._apply_filter(self.filter_edit.text())

    def _apply_filter(self, text: str) -> None:
        wanted = text.strip().lower().lstrip("@")
        for row in range(self.model.rowCount()):
            cells = [self._cell(row, c).lower() for c in (0, 1, 2)]
            self.table.setRowHidden(row, bool(wanted) and not any(wanted in c for c in cells))

    def _cell(self, row: int, col: int) -> str:
        item = self.model.item(row, col)
        return item.text() if item is not None else ""

    def add_row(self) -> None:
        row = self.model.rowCount()
        self.model.insertRow(row)
        for col in range(len(PEOPLE_COLUMNS)):
            self.model.setItem(row, col, QStandardItem(""))
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.edit(self.model.index(row, 0))

    def save_changes(self) -> int:
        """Write every row that differs from the directory; refusals are listed, not lost."""
        saved, refused = 0, []
        for row in range(self.model.rowCount()):
            values = [self._cell(row, c) for c in range(len(PEOPLE_COLUMNS))]
            if not any(v.strip() for v in values):
                continue
            try:
                person = clean_person(
                    name=values[0],
                    handle=values[1],
                    team=values[2],
                    email=values[3],
                    phone=values[4],
                    roles=values[5],
                )
                self._service.save_person(person)
                saved += 1
            except CommanderError as err:
                refused.append(f"row {row + 1}: {err}")
        self.status_label.setText("Saved." if not refused else "Not saved — " + "; ".join(refused))
        if not refused:
            self.reload()
        return saved

    def remove_current(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0 or not self._cell(row, 1):
            return
        try:
            self._service.remove_person(self._cell(row, 1))
        except CommanderError as err:
            self.status_label.setText(str(err))
            return
        self.reload()

    def copy_contact(self, col: int) -> str:
        row = self.table.currentIndex().row()
        text = self._cell(row, col) if row >= 0 else ""
        if text:
            QGuiApplication.clipboard().setText(text)
            self.status_label.setText(f"Copied {text}")
        else:
            self.status_label.setText("Nothing to copy for this person.")
        return text

    def import_csv(self, path: str | None = None) -> str:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, "Import people", "", "CSV (*.csv);;All files (*)"
            )
        if not path:
            return ""
        try:
            result = self._service.import_csv(Path(path).read_bytes())
        except (CommanderError, OSError) as err:
            message = f"Nothing imported: {err}"
        else:
            message = f"Imported: {result.summary()}"
        self.status_label.setText(message)
        self.reload()
        return message

    def export_csv(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export people", "people.csv", "CSV (*.csv)"
            )
        if not path:
            return None
        target = Path(path)
        try:
            target.write_text(self._service.export_csv(), encoding="utf-8", newline="")
        except OSError as err:
            self.status_label.setText(f"Could not write {target}: {err.strerror}")
            return None
        self.status_label.setText(f"Exported to {target}")
        return target
