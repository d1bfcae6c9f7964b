"""Rolling backups: hourly while an incident is active, a few kept, never a damaged one."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from commander.core.errors import DamagedWorkspaceError
from commander.services import backups
from commander.services.incidents import IncidentService
from commander.services.recovery import check_workspace
from commander.services.workspace import Workspace
from commander.storage.database import DB_FILENAME
from commander.storage.integrity import quick_check
from tests.services.damage import build_workspace, damage_page, op_rows


def test_hourly_while_an_incident_is_active_daily_otherwise(workspace, incidents, clock) -> None:
    data_dir = workspace.data_dir
    assert backups.backup_if_due(workspace) is not None  # the first one: always
    clock.advance(timedelta(hours=2))
    assert backups.backup_if_due(workspace) is None  # nothing active: daily
    incident = incidents.declare(title="Checkout errors", severity="P1").incident
    assert backups.has_active_incident(workspace)
    taken = backups.backup_if_due(workspace)
    assert taken is not None and taken.taken_at == clock.now()
    clock.advance(timedelta(minutes=59))
    assert backups.backup_if_due(workspace) is None
    clock.advance(timedelta(minutes=1))
    assert backups.backup_if_due(workspace) is not None
    incidents.set_field(incident.id, "status", "resolved")
    clock.advance(timedelta(hours=23))
    assert not backups.backup_due(data_dir, now=clock.now(), active=False)
    clock.advance(timedelta(hours=1))
    assert backups.backup_due(data_dir, now=clock.now(), active=False)


def test_a_few_kept_private_and_each_opens_as_a_workspace(
    workspace, incidents, clock, tmp_path
) -> None:
    incidents.declare(title="Checkout errors", severity="P1")
    for _ in range(7):
        backups.take_backup(workspace.data_dir, now=clock.now())
        clock.advance(timedelta(hours=1))
    kept = backups.list_backups(workspace.data_dir)
    assert len(kept) == backups.KEEP
    assert kept[0].taken_at == clock.now() - timedelta(hours=1)  # newest first
    assert backups.backup_dir(workspace.data_dir).stat().st_mode & 0o777 == 0o700
    assert all(b.path.stat().st_mode & 0o777 == 0o600 for b in kept)
    assert backups.find_backup(workspace.data_dir, "latest") == kept[0]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    backups.copy_database(kept[-1].path, elsewhere / DB_FILENAME)
    reopened = Workspace.open(elsewhere, author="a", clock=clock, zone=UTC)
    try:
        assert [i.title for i in IncidentService(reopened).list()] == ["Checkout errors"]
    finally:
        reopened.close()


def test_a_damaged_workspace_is_never_backed_up_and_a_backup_restores_it(data_dir, clock) -> None:
    before = build_workspace(data_dir, clock)
    good = backups.take_backup(data_dir, now=clock.now())
    damage_page(data_dir / DB_FILENAME, "op")
    clock.advance(timedelta(hours=1))
    with pytest.raises(DamagedWorkspaceError, match="no backup was taken"):
        backups.take_backup(data_dir, now=clock.now())
    assert backups.list_backups(data_dir) == [good]  # the sound one was not pushed out

    aside = backups.restore_backup(data_dir, good, now=clock.now())
    assert aside is not None and aside.exists()
    assert check_workspace(data_dir).ok
    assert op_rows(data_dir) == before
    assert quick_check(aside)  # the damaged file is kept as it was
