"""The data directory is 0700 and Commander's files in it 0600, new or left open by an older
version; an export elsewhere keeps the mode the user's umask gives."""

from __future__ import annotations

import os
import stat
from datetime import UTC
from pathlib import Path

from commander.config import save_display_zone
from commander.services.workspace import Workspace
from commander.storage.private_files import tighten


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_workspace_is_private(data_dir: Path, clock) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    try:
        ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
        with ws.write() as conn:  # a write: the -wal and -shm files exist now
            conn.exec_driver_sql("SELECT 1")
        save_display_zone(data_dir, "UTC")
        files = sorted(p.name for p in data_dir.iterdir())
        assert {"workspace.sqlite3", "workspace.sqlite3-wal", "workspace.sqlite3-shm"} <= set(files)
        assert "settings.json" in files
        assert _mode(data_dir) == 0o700
        for path in data_dir.iterdir():
            assert _mode(path) == 0o600, path.name
        ws.close()
    finally:
        os.umask(old)


def test_opening_tightens_what_an_older_version_left_open(data_dir: Path, clock) -> None:  # type: ignore[no-untyped-def]
    Workspace.open(data_dir, author="alice", clock=clock, zone=UTC).close()
    (data_dir / "channels.json").write_text("{}")
    data_dir.chmod(0o755)
    for path in data_dir.iterdir():
        path.chmod(0o644)
    (data_dir / "notes.txt").write_text("the user's own file")
    (data_dir / "notes.txt").chmod(0o644)
    Workspace.open(data_dir, author="alice", clock=clock, zone=UTC).close()
    assert _mode(data_dir) == 0o700
    assert _mode(data_dir / "workspace.sqlite3") == 0o600
    assert _mode(data_dir / "channels.json") == 0o600
    assert _mode(data_dir / "notes.txt") == 0o644  # not Commander's: left as it was


def test_modes_are_only_narrowed(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    folder.mkdir(mode=0o700)
    kept = folder / "settings.json"
    kept.write_text("{}")
    kept.chmod(0o400)  # stricter than 0600: stays
    assert tighten(folder) == []
    assert _mode(kept) == 0o400


def test_an_export_keeps_the_users_mode(workspace, incidents, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from commander.cli import main

    incidents.declare(title="API down", severity="P1", services=["api"], impact="errors")
    workspace.close()
    old = os.umask(0o022)
    try:
        target = tmp_path / "report.md"
        code = main(["--data-dir", str(workspace.data_dir), "export", "INC", "-o", str(target)])
        assert code == 0 and target.exists()
        assert _mode(target) == 0o644
    finally:
        os.umask(old)
