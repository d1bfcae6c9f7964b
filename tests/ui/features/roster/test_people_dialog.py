"""The people directory keeps every keystroke in the row and field it was typed in (#12).

The keys come as fast as pytest-qt can send them, with no waits: right after *Add row*, from
cell to cell with Tab, Enter to finish a row, while the directory already holds people.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from commander.core.people import Person
from commander.services.people import PeopleService
from commander.ui.features.roster.people_dialog import PeopleDialog
from commander.ui.features.roster.people_model import COL_HANDLE, COL_NAME, COL_TEAM


def _open(qtbot, window, workspace) -> tuple[PeopleDialog, PeopleService]:  # type: ignore[no-untyped-def]
    people = PeopleService(workspace)
    people.save_person(Person("alice", "Alice Smith", team="sre"))
    dialog = window.roster_panel.open_people()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    return dialog, people


def _type(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Keys to whatever has focus now, as a user's keyboard sends them."""
    for char in text:
        qtbot.keyClicks(QApplication.focusWidget(), char)


def _key(qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key)


def _stored(people: PeopleService) -> list[tuple[str, str, str]]:
    return sorted((p.name, p.handle, p.team) for p in people.people())


def _add_person(qtbot, dialog: PeopleDialog, name: str, handle: str, team: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _type(qtbot, name)
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, handle)
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, team)
    _key(qtbot, Qt.Key.Key_Return)


def test_fast_typing_after_add_row_keeps_every_row_and_field(qtbot, window, workspace) -> None:
    dialog, people = _open(qtbot, window, workspace)
    _add_person(qtbot, dialog, "Kim Ki", "@kim", "ops")
    _key(qtbot, Qt.Key.Key_Return)  # a spare Enter: finishes nothing, adds nothing
    _add_person(qtbot, dialog, "Bob Bo", "bob", "net")
    _add_person(qtbot, dialog, "Cy Young", "cy", "db")
    assert dialog.save_changes() == 3  # at once: the last Enter's edit is still in flight
    assert dialog.model.rowCount() == 4
    assert _stored(people) == [
        ("Alice Smith", "alice", "sre"),
        ("Bob Bo", "bob", "net"),
        ("Cy Young", "cy", "db"),
        ("Kim Ki", "kim", "ops"),
    ]
    # The saved rows stay where they were typed; nothing was re-sorted under the cursor.
    rows = [[dialog.model.cell(r, c) for c in (COL_NAME, COL_HANDLE, COL_TEAM)] for r in range(4)]
    assert rows == [
        ["Alice Smith", "alice", "sre"],
        ["Kim Ki", "kim", "ops"],
        ["Bob Bo", "bob", "net"],
        ["Cy Young", "cy", "db"],
    ]


def test_save_while_a_cell_is_still_being_edited_keeps_its_text(qtbot, window, workspace) -> None:
    dialog, people = _open(qtbot, window, workspace)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _type(qtbot, "Dana")
    _key(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "dana")  # the editor is still open: Save (Alt+S) must commit it first
    assert dialog.save_changes() == 1
    assert ("Dana", "dana", "") in _stored(people)


def test_typing_on_a_read_only_handle_does_not_jump_rows(qtbot, window, workspace) -> None:
    dialog, people = _open(qtbot, window, workspace)
    people.save_person(Person("bob", "Bob Jones"))
    dialog.reload()
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, COL_HANDLE))  # Alice's handle
    _type(qtbot, "bob")  # keyboard search would have jumped to Bob's row
    assert dialog.table.currentIndex().row() == 0
    assert dialog.save_changes() == 0
    assert _stored(people) == [("Alice Smith", "alice", "sre"), ("Bob Jones", "bob", "")]


@pytest.mark.parametrize("handle", ["alice", "@Alice"])
def test_a_new_row_never_overwrites_someone_already_there(
    qtbot, window, workspace, handle: str
) -> None:
    dialog, people = _open(qtbot, window, workspace)
    _add_person(qtbot, dialog, "Mallory", handle, "x")
    assert dialog.save_changes() == 0
    assert "already in the directory" in dialog.status_label.text()
    assert _stored(people) == [("Alice Smith", "alice", "sre")]
    assert dialog.model.cell(1, COL_NAME) == "Mallory"  # kept as typed, to fix


def test_a_row_added_under_a_filter_is_shown_and_kept(qtbot, window, workspace) -> None:
    dialog, people = _open(qtbot, window, workspace)
    dialog.filter_edit.setText("ali")
    _add_person(qtbot, dialog, "Eve Ng", "eve", "sec")
    assert not dialog.table.isRowHidden(1)
    assert dialog.save_changes() == 1
    dialog.reload()
    assert ("Eve Ng", "eve", "sec") in _stored(people)
    assert dialog.model.rowCount() == 2
