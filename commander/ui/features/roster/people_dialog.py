"""The people directory dialog: edit in place, add, remove, import/export CSV, copy contacts.

Typing must never land in the wrong row or field, however fast the keys come (a scribe adds
three people in ten seconds). So: rows are objects (``PeopleModel``), nothing re-sorts or
resets while an editor is open, an open editor is committed before anything reads the table,
typing on a read-only cell never jumps to another row (no keyboard search), and Enter in the
table never presses a button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError, ValidationError
from commander.core.limits import CSV_FILE_MAX
from commander.core.people import clean_person
from commander.services.files import read_bounded
from commander.services.nodes import fingerprints_by_author, person_fingerprints
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.ui.features.roster.people_model import (
    COL_EMAIL,
    COL_HANDLE,
    COL_NAME,
    COL_PHONE,
    COL_TEAM,
    PeopleModel,
)

SEARCHED = (COL_NAME, COL_HANDLE, COL_TEAM)


class _CellDelegate(QStyledItemDelegate):
    """Enter commits and closes the cell editor at once, not through a queued call.

    Qt's own delegate defers that close; a click on *Add row* or a save arriving first would
    then move on while the old editor still waits to write its text.
    """

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(editor, QWidget)
        ):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


class PeopleTable(QTableView):
    """A table view that never moves the current row on its own while the user types."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_CellDelegate(self))

    def keyboardSearch(self, search: str) -> None:
        """Typing on a read-only cell must not jump to a row starting with those letters."""
        del search

    def commit_open_editor(self) -> None:
        """Write what an open cell editor holds into the model (the editor stays open):
        a save by shortcut while a cell is being typed in saves what it shows."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)


class PeopleDialog(QDialog):
    """The people directory of the workspace, as an editable table."""

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
        self.model = PeopleModel(self)
        self.table = PeopleTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("People")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        # The signing keys the selected person's nodes introduced: compared out of band, they
        # tie a key to a person (``commander node show`` prints one's own).
        self.keys_label = QLabel(self)
        self.keys_label.setWordWrap(True)
        self.keys_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys_label.setAccessibleName("Key fingerprints")
        layout.addWidget(self.keys_label)
        self._fingerprints: dict[str, list[str]] = {}
        self.table.selectionModel().currentRowChanged.connect(self._show_fingerprints)
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
            # Enter finishes a cell; it must never also add a row or save behind the user.
            button.setAutoDefault(False)
            button.setDefault(False)
            row.addWidget(button)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_row)
        self.save_button.clicked.connect(self.save_changes)
        self.remove_button.clicked.connect(self.remove_current)
        self.copy_phone_button.clicked.connect(lambda: self.copy_contact(COL_PHONE))
        self.copy_email_button.clicked.connect(lambda: self.copy_contact(COL_EMAIL))
        self.import_button.clicked.connect(lambda: self.import_csv())
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.reload()

    def _role_names(self) -> dict[str, str]:
        return {r.key: r.name for r in self._roster.roles()}

    def reload(self) -> None:
        """Show the directory as stored; rows not saved yet stay as typed."""
        self.table.commit_open_editor()
        self.model.set_people(self._service.people(), self._role_names())
        self._fingerprints = fingerprints_by_author(self._service.workspace)
        self._apply_filter(self.filter_edit.text())
        self._show_fingerprints(self.table.currentIndex())

    def _show_fingerprints(self, current: QModelIndex, _previous: object = None) -> None:
        row = current.row()
        person = self.model.row_at(row).person if 0 <= row < self.model.rowCount() else None
        if person is None:
            self.keys_label.setText("Select a person to see their signing-key fingerprints.")
            return
        prints = person_fingerprints(self._fingerprints, person.handle, person.name)
        who = f"{person.name} (@{person.handle})" if person.name else f"@{person.handle}"
        self.keys_label.setText(
            f"Key fingerprints of {who}: " + "; ".join(prints)
            if prints
            else f"No signing key from {who} has reached this workspace yet."
        )

    def _apply_filter(self, text: str) -> None:
        wanted = text.strip().lower().lstrip("@")
        for row, person_row in enumerate(self.model.rows()):
            cells = [
                person_row.cells[c].lower().lstrip("@") for c in (COL_NAME, COL_HANDLE, COL_TEAM)
            ]
            hidden = bool(wanted) and not any(wanted in c for c in cells)
            # A row being added is always shown: typing into a hidden row is typing blind.
            self.table.setRowHidden(row, hidden and not person_row.is_new)

    def _cell(self, row: int, col: int) -> str:
        return self.model.cell(row, col)

    def add_row(self) -> int:
        self.table.commit_open_editor()
        row = self.model.add_row()
        self.table.setRowHidden(row, False)
        index = self.model.index(row, COL_NAME)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(index)
        return row

    def save_changes(self) -> int:
        """Write every new or edited row; refusals are listed and their rows kept as typed."""
        self.table.commit_open_editor()
        names = self._role_names()
        stored = {p.handle for p in self._service.people()}
        saved, refused = 0, []
        for person_row in self.model.dirty_rows():
            number = (self.model.row_of_token(person_row.token) or 0) + 1
            values = person_row.cells
            try:
                handle = values[COL_HANDLE] if person_row.is_new else person_row.person.handle  # type: ignore[union-attr]
                person = clean_person(
                    name=values[COL_NAME],
                    handle=handle,
                    team=values[COL_TEAM],
                    email=values[COL_EMAIL],
                    phone=values[COL_PHONE],
                    roles=values[5],
                )
                if person_row.is_new and person.handle in stored:
                    raise ValidationError(
                        f"@{person.handle} is already in the directory; edit that row instead."
                    )
                self._service.save_person(person)
                stored.add(person.handle)
                self.model.replace_saved(
                    person_row.token, self._service.person(person.handle), names
                )
                saved += 1
            except CommanderError as err:
                refused.append(f"row {number}: {err}")
        if refused:
            self.status_label.setText("Not saved — " + "; ".join(refused))
        else:
            self.status_label.setText(f"Saved {saved} {'person' if saved == 1 else 'people'}.")
        return saved

    def remove_current(self) -> None:
        self.table.commit_open_editor()
        row = self.table.currentIndex().row()
        if row < 0:
            return
        person_row = self.model.row_at(row)
        if person_row.person is None:
            self.model.remove_row(row)  # a row never saved: just take it away
            return
        try:
            self._service.remove_person(person_row.person.handle)
        except CommanderError as err:
            self.status_label.setText(str(err))
            return
        self.model.remove_row(row)

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
            result = self._service.import_csv(read_bounded(path, limit=CSV_FILE_MAX))
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
