"""Checks every model test runs: Qt's two model testers, plus what they ask of the first cell
asked of every cell (a view paints any of them)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

_TEXT_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
)
_BRUSH_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)


def _cells(model: QAbstractItemModel, parent: QModelIndex = QModelIndex()) -> list[QModelIndex]:  # noqa: B008
    found = []
    # a list model's columnCount is private in PySide6: it has one column
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            found.append(index)
            if column == 0:
                found += _cells(model, index)
    return found


def _well_typed(model: QAbstractItemModel) -> None:
    """What the testers ask of the first cell, asked of every cell: a view paints any of
    them, and a wrong type there is a blank cell or a warning at paint time."""
    for index in _cells(model):
        where = f"{type(model).__name__} ({index.row()}, {index.column()})"
        for role in _TEXT_ROLES:
            value = index.data(role)
            assert value is None or isinstance(value, str), f"{where} {role.name}: {value!r}"
        for role in _BRUSH_ROLES:
            value = index.data(role)
            assert value is None or isinstance(value, (QBrush, QColor)), f"{where} {role.name}"
        font = index.data(Qt.ItemDataRole.FontRole)
        assert font is None or isinstance(font, QFont), f"{where} font: {font!r}"
        align = index.data(Qt.ItemDataRole.TextAlignmentRole)
        assert align is None or isinstance(align, (int, Qt.AlignmentFlag)), f"{where} {align!r}"
        check = index.data(Qt.ItemDataRole.CheckStateRole)
        assert check is None or isinstance(check, (int, Qt.CheckState)), f"{where} {check!r}"


def _bounded(model: QAbstractItemModel) -> None:
    """Below every cell (and the root) an index exists exactly where ``rowCount`` and
    ``columnCount`` say: the testers ask it of the root only."""
    for parent in [QModelIndex(), *_cells(model)]:
        if isinstance(model, QAbstractListModel):
            columns = 0 if parent.isValid() else 1
        else:
            columns = model.columnCount(parent)
        rows = model.rowCount(parent)
        where = f"{type(model).__name__} below ({parent.row()}, {parent.column()})"
        assert not model.index(rows, 0, parent).isValid(), f"{where}: a row past {rows}"
        assert not model.index(0, columns, parent).isValid(), f"{where}: a column past"
        if rows == 0 or columns == 0:
            assert not model.index(0, 0, parent).isValid(), f"{where}: a child of no rows"


def checked(qtmodeltester, model: QAbstractItemModel, change: Callable[[], object]) -> None:  # type: ignore[no-untyped-def]
    """Check ``model`` filled, change it under both watching testers (each checks the whole
    model again at every signal), check it again; every cell's types, before and after."""
    assert model.rowCount() > 0, "filled with nothing: there would be nothing to check"
    _well_typed(model)
    _bounded(model)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    change()
    assert model.rowCount() > 0, "changed to nothing: there would be nothing to check"
    qtmodeltester.check(model)
    _well_typed(model)
    _bounded(model)
