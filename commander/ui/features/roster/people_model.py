"""The people directory as an editable table whose rows keep their identity.

Each row is an object (the person it shows, if any, and what is typed in it), so an edit lands
in the row it was made in however fast the keys come: nothing here re-sorts or resets while
the user types, and a save replaces only the rows it wrote. A person's handle is who they are
(roles refer to it), so it is editable only in a row that is not saved yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from commander.core.people import Person
from commander.ui.common.columns import ColumnsTableModel, Index

PEOPLE_COLUMNS = ("Name", "Handle", "Team", "E-mail", "Phone", "Roles")
COL_NAME, COL_HANDLE, COL_TEAM, COL_EMAIL, COL_PHONE, COL_ROLES = range(len(PEOPLE_COLUMNS))

_tokens = count(1)


@dataclass
class PersonRow:
    """One row: the stored person (None for a new row) and the cells as typed."""

    person: Person | None
    cells: list[str]
    token: int = field(default_factory=lambda: next(_tokens))

    @property
    def is_new(self) -> bool:
        return self.person is None

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


def person_cells(person: Person, role_names: Mapping[str, str]) -> list[str]:
    roles = "; ".join(role_names.get(r, r) for r in person.roles)
    return [person.name, person.handle, person.team, person.email, person.phone, roles]


class PeopleModel(ColumnsTableModel):
    """Rows of the directory plus rows being added; ``dirty`` rows are what Save writes."""

    COLUMNS = PEOPLE_COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonRow] = []
        self._clean: dict[int, list[str]] = {}  # token -> cells as loaded

    # -- data in ---------------------------------------------------------------------------

    def set_people(self, people: Sequence[Person], role_names: Mapping[str, str]) -> None:
        """Show the directory; rows not saved yet (new or refused) stay, as typed, below it."""
        kept = [r for r in self._rows if self._is_pending(r)]
        kept_handles = {r.person.handle for r in kept if r.person is not None}
        self.beginResetModel()
        self._rows = []
        self._clean = {}
        for person in people:
            if person.handle in kept_handles:
                continue
            row = PersonRow(person, person_cells(person, role_names))
            self._rows.append(row)
            self._clean[row.token] = list(row.cells)
        self._rows += kept
        self.endResetModel()

    def replace_saved(self, token: int, person: Person, role_names: Mapping[str, str]) -> None:
        """The row ``token`` was written: it now shows ``person`` as stored, in place."""
        row = self.row_of_token(token)
        if row is None:
            return
        cells = person_cells(person, role_names)
        self._rows[row] = PersonRow(person, cells, token)
        self._clean[token] = list(cells)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(PEOPLE_COLUMNS) - 1))

    def add_row(self) -> int:
        """A new empty row at the end (or the one already waiting there); its row number."""
        if self._rows and self._rows[-1].is_new and self._rows[-1].blank:
            return len(self._rows) - 1
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(PersonRow(None, [""] * len(PEOPLE_COLUMNS)))
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        removed = self._rows.pop(row)
        self._clean.pop(removed.token, None)
        self.endRemoveRows()

    # -- lookups ---------------------------------------------------------------------------

    def row_at(self, row: int) -> PersonRow:
        return self._rows[row]

    def rows(self) -> list[PersonRow]:
        return list(self._rows)

    def row_of_token(self, token: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.token == token), None)

    def cell(self, row: int, column: int) -> str:
        return self._rows[row].cells[column] if 0 <= row < len(self._rows) else ""

    def dirty_rows(self) -> list[PersonRow]:
        """Rows to write: new ones with something typed, and stored ones that were edited."""
        return [r for r in self._rows if self._is_pending(r)]

    def _is_pending(self, row: PersonRow) -> bool:
        if row.is_new:
            return not row.blank
        return self._clean.get(row.token) != row.cells

    # -- Qt model --------------------------------------------------------------------------

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            text = row.cells[index.column()]
            if index.column() == COL_HANDLE and text and role == Qt.ItemDataRole.DisplayRole:
                return text if text.startswith("@") else f"@{text}"
            return text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_HANDLE and not row.is_new:
            return "The handle is who this person is; roles refer to it, so it does not change."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != COL_HANDLE or self._rows[index.row()].is_new:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row = self._rows[index.row()]
        text = "" if value is None else str(value)
        if row.cells[index.column()] == text:
            return False
        row.cells[index.column()] = text
        self.dataChanged.emit(index, index)
        return True
