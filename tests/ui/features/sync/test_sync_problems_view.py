"""The Sync problems view (from the status and the Sync menu) and fingerprints in People."""

from __future__ import annotations

from PySide6.QtCore import Qt

from commander.core.ops import GENESIS_HASH
from commander.core.people import Person
from commander.core.signing import Ed25519Signer
from commander.services.nodes import this_node
from commander.services.people import PeopleService
from commander.sync import checks
from commander.sync.status import ONLINE, SyncStatus
from commander.ui.features.sync.sync_problem_model import COL_KIND, COL_REASON
from tests.sync.attack import crafted, entry_value, key_op, row_of


def _server_row(op, seq: int) -> list:  # type: ignore[no-untyped-def]
    row = row_of(op, 1)
    return [seq, op.hlc, *(row[k] for k in checks._COLUMNS)]


def _quarantine(workspace, rows) -> list[checks.Quarantined]:  # type: ignore[no-untyped-def]
    with workspace.write() as conn:
        _accepted, problems = checks.screen(conn, rows, revoked={}, wall_ms=0)
    return problems


def test_sync_problems_open_from_the_status_and_grow_in_place(qtbot, window, workspace) -> None:
    signer = Ed25519Signer.generate()
    node = "01a00000-0000-7000-8000-0000000000ee"
    key = key_op(node, "eve", signer)
    forged = crafted(node_id=node, author="eve", prev_hash=key.hash, value=entry_value("x"))
    tampered = crafted(
        node_id="01a00000-0000-7000-8000-0000000000ef",
        author="trent",
        prev_hash=GENESIS_HASH,
        value=entry_value("y"),
    )
    (first,) = _quarantine(
        workspace, [_server_row(key, 1), _server_row(forged, 2)]
    )  # the key op verifies; the unsigned op after it does not
    assert first.op_id == forged.op_id and "unsigned" in first.reason
    ui = window.sync_ui
    ui.status_widget.set_status(SyncStatus(state=ONLINE, problems=1))
    assert "1 sync problems" in ui.status_widget.text()
    qtbot.mouseClick(ui.status_widget, Qt.MouseButton.LeftButton)
    dialog = ui.problems_dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    assert model.rowCount() == 1
    assert model.index(0, COL_KIND).data() == "Quarantined (not applied)"
    assert "unsigned" in model.index(0, COL_REASON).data()
    bad = row_of(tampered, 1)
    row = [3, tampered.hlc, *(bad[k] for k in checks._COLUMNS)]
    row[2 + checks._COLUMNS.index("author")] = "mallory"  # changed after it was hashed
    _quarantine(workspace, [row])
    with qtbot.waitSignal(model.rowsInserted, timeout=1000):  # appended, not reset
        window.sync_ui._on_status(SyncStatus(state=ONLINE, problems=2))
    assert model.rowCount() == 2 and "does not match its hash" in model.index(1, COL_REASON).data()
    assert window.sync_ui.action_problems.text() == "Sync &problems…"


def test_people_directory_shows_each_persons_key_fingerprints(window, workspace) -> None:
    people = PeopleService(workspace)
    people.save_person(Person("alice", "Alice Smith"))  # this workspace writes as alice
    people.save_person(Person("bob", "Bob Jones"))
    dialog = window.roster_panel.open_people()
    handles = [dialog.model.row_at(r).person.handle for r in range(dialog.model.rowCount())]
    dialog.table.setCurrentIndex(dialog.model.index(handles.index("alice"), 0))
    fingerprint = this_node(workspace)["fingerprint"]
    assert dialog.keys_label.text() == f"Key fingerprints of Alice Smith (@alice): {fingerprint}"
    dialog.table.setCurrentIndex(dialog.model.index(handles.index("bob"), 0))
    assert "No signing key from Bob Jones (@bob)" in dialog.keys_label.text()
