"""Bundles in the window: import from the Sync menu or by dropping the file (on the window or
the timeline), export the workspace or one incident, and a refused bundle says why."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from commander.core.clock import FakeClock
from commander.core.ops import WORKSPACE_SCOPE
from commander.services.bundles import export_bundle, read_bundle
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.ui.shell.main_window import MainWindow
from tests.ui.drops import drop_files


def _bundle_from_bob(tmp_path: Path, clock: FakeClock) -> tuple[Path, str]:
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    try:
        incident = IncidentService(bob).declare(title="Router down in DC2", severity="P1")
        IncidentService(bob).log(incident.incident.id, "core-rtr-2 lost its BGP sessions")
        path = tmp_path / "bob.bundle"
        export_bundle(bob, path)
        return path, incident.incident.id
    finally:
        bob.close()


def _has(workspace: Workspace, incident_id: str) -> bool:
    with workspace.read() as conn:
        return queries.get_incident(conn, incident_id) is not None


def test_import_merges_the_bundle_and_the_window_shows_it(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path, clock: FakeClock
) -> None:
    path, incident_id = _bundle_from_bob(tmp_path, clock)
    bundles = window.sync_ui.bundles
    with qtbot.waitSignal(bundles.sig_message, timeout=10_000) as said:
        bundles.import_paths([path])
    assert said.args is not None and "changes imported from bob's bundle" in said.args[0]
    assert _has(workspace, incident_id)
    qtbot.waitUntil(lambda: window.incident_model.row_of(incident_id) is not None)
    with qtbot.waitSignal(bundles.sig_message, timeout=10_000) as again:
        bundles.import_paths([path])  # twice: nothing new
    assert again.args is not None and again.args[0].startswith("0 changes imported")


def test_a_bundle_dropped_on_the_timeline_is_imported_not_attached(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path, clock: FakeClock
) -> None:
    mine = IncidentService(workspace).declare(title="Local incident", severity="P2").incident
    window.refresh()
    window.select_incident(mine.id)
    path, incident_id = _bundle_from_bob(tmp_path, clock)
    with qtbot.waitSignal(window.sync_ui.bundles.sig_imported, timeout=10_000):
        drop_files(window.timeline_panel.table.viewport(), [path])
    assert _has(workspace, incident_id)
    with workspace.read() as conn:
        assert not conn.exec_driver_sql("SELECT 1 FROM attachment").fetchall()


def test_a_bundle_dropped_on_the_window_is_imported(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path, clock: FakeClock
) -> None:
    path, incident_id = _bundle_from_bob(tmp_path, clock)
    with qtbot.waitSignal(window.sync_ui.bundles.sig_imported, timeout=10_000):
        drop_files(window, [path])
    assert _has(workspace, incident_id)


def test_a_damaged_bundle_is_refused_with_the_reason(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path, clock: FakeClock
) -> None:
    path, incident_id = _bundle_from_bob(tmp_path, clock)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))
    bundles = window.sync_ui.bundles
    with qtbot.waitSignal(bundles.sig_message, timeout=10_000) as said:
        bundles.import_paths([path])
    assert bundles.error_box is not None and bundles.error_box.isVisible()
    assert bundles.error_box.text() == "The bundle import was refused."
    assert said.args is not None and str(path) in said.args[0]  # names the file and why
    assert bundles.error_box.informativeText() == said.args[0]
    assert not _has(workspace, incident_id)


def test_export_writes_a_bundle_of_the_workspace_or_one_incident(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    one = IncidentService(workspace).declare(title="Disk full", severity="P2").incident
    IncidentService(workspace).declare(title="Cert expiry", severity="P1")
    bundles = window.sync_ui.bundles
    whole, single = tmp_path / "all.bundle", tmp_path / "one.bundle"
    with qtbot.waitSignal(bundles.sig_message, timeout=10_000):
        bundles.export_to(whole)
    with qtbot.waitSignal(bundles.sig_message, timeout=10_000) as said:
        bundles.export_to(single, one.id)
    assert said.args is not None and one.ref in said.args[0]
    everything, only = read_bundle(whole), read_bundle(single)
    assert len(only.ops) < len(everything.ops)
    assert one.id in {op.incident_id for op in only.ops}
    assert {op.incident_id for op in only.ops} <= {one.id, WORKSPACE_SCOPE}
