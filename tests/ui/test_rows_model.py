"""The read-only rows model passes Qt's model tester and shows what it was given."""

from __future__ import annotations

from PySide6.QtCore import Qt

from commander.ui.common.rows_model import RowsModel


def test_rows_model_is_a_well_behaved_read_only_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RowsModel(["Role", "Held by"])
    model.set_rows([["Incident Commander", "Dana"], ["Scribe", "—"]])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert model.data(model.index(1, 0)) == "Scribe"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Held by"
    assert not (model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable)
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0
