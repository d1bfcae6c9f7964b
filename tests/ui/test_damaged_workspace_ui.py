"""The damage dialog recovers or restores on a worker; backups are taken on a worker too."""

from __future__ import annotations

from datetime import UTC, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from commander.services import backups
from commander.services.recovery import check_workspace
from commander.services.workspace import Workspace
from commander.storage.database import DB_FILENAME
from commander.ui.shell.backup_scheduler import BackupScheduler
from commander.ui.shell.damaged_workspace import DamagedWorkspaceDialog
from commander.ui.shell.workspace_health import repair_damage
from tests.services.damage import build_workspace, damage_page, op_rows


def test_recover_from_the_dialog_keeps_every_op(qtbot, data_dir, clock) -> None:
    """The start-up path: ``repair_damage`` runs the dialog modally until it is repaired."""
    before = build_workspace(data_dir, clock)
    damage_page(data_dir / DB_FILENAME, "entry")
    problems = check_workspace(data_dir).problems
    seen: dict[str, object] = {}

    def click_recover() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, DamagedWorkspaceDialog)),
            None,
        )
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, click_recover)
            return
        seen["explanation"] = dialog.explanation.text()
        seen["restore offered"] = dialog.restore_button.isEnabled()
        dialog.recover_button.click()
        seen["busy"] = not dialog.quit_button.isEnabled()  # the GUI thread is not blocked
        dialog.reject()  # ignored while the recovery runs: nothing is left half-written

    QTimer.singleShot(0, click_recover)
    assert repair_damage(data_dir, problems, author="alice")
    assert "malformed" in str(seen["explanation"])
    assert seen["restore offered"] is False  # no backup yet: nothing to offer
    assert seen["busy"] is True
    assert check_workspace(data_dir).ok and op_rows(data_dir) == before


def test_restore_a_backup_from_the_dialog(qtbot, data_dir, clock) -> None:
    before = build_workspace(data_dir, clock)
    backups.take_backup(data_dir, now=clock.now())
    damage_page(data_dir / DB_FILENAME, "op")
    dialog = DamagedWorkspaceDialog(
        data_dir, check_workspace(data_dir).problems, author="alice", clock=clock
    )
    qtbot.addWidget(dialog)
    assert dialog.restore_button.isEnabled()
    assert dialog.backup_combo.currentText().startswith("2026-11-28 10:00 UTC")
    outcomes: list[str] = []
    dialog.sig_repaired.connect(outcomes.append)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=30_000)
    assert "Restored the backup of 2026-11-28 10:00 UTC" in outcomes[0]
    assert dialog.result() == DamagedWorkspaceDialog.DialogCode.Accepted
    assert check_workspace(data_dir).ok and op_rows(data_dir) == before


def test_quit_leaves_the_damaged_file_as_it_was(qtbot, data_dir, clock) -> None:
    build_workspace(data_dir, clock)
    damage_page(data_dir / DB_FILENAME, "entry")
    content = (data_dir / DB_FILENAME).read_bytes()
    dialog = DamagedWorkspaceDialog(data_dir, ["malformed"], author="alice", clock=clock)
    qtbot.addWidget(dialog)
    dialog.quit_button.click()
    assert dialog.result() == DamagedWorkspaceDialog.DialogCode.Rejected
    assert (data_dir / DB_FILENAME).read_bytes() == content


def test_scheduler_backs_up_on_a_worker_and_reports_damage_once(qtbot, data_dir, clock) -> None:
    build_workspace(data_dir, clock)
    workspace = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    scheduler = BackupScheduler(workspace)
    try:
        with qtbot.waitSignal(scheduler.sig_backup_taken, timeout=10_000) as taken:
            scheduler.check_now()
        assert taken.args[0].taken_at == clock.now()
        workspace.close()
        damage_page(data_dir / DB_FILENAME, "op")
        clock.advance(timedelta(days=2))
        with qtbot.waitSignal(scheduler.sig_problem, timeout=10_000) as problem:
            scheduler.check_now()
        assert "no backup was taken" in problem.args[0]
        with qtbot.assertNotEmitted(scheduler.sig_problem, wait=200):
            scheduler.check_now()
            scheduler.stop()
        assert len(backups.list_backups(data_dir)) == 1
    finally:
        scheduler.stop()
        workspace.close()
