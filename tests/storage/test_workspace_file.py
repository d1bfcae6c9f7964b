"""The workspace file as a file (storage/workspace_file.py): a consistent private copy that
includes what is still in the WAL, and folding the WAL in so one file can be moved."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import workspace_file


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_a_copy_holds_what_the_wal_holds_and_is_private(
    workspace: Workspace, incidents: IncidentService, tmp_path: Path
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    incidents.log(incident.id, "paged the DBA")
    source = workspace.path
    assert Path(f"{source}-wal").exists()  # the workspace is open: its last writes are there
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"an older copy")  # replaced, not appended to
    workspace_file.copy_database(source, target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert _count(target, "SELECT count(*) FROM entry") == 2
    assert _count(target, "SELECT count(*) FROM op") == _count(source, "SELECT count(*) FROM op")
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert not Path(f"{target}-wal").exists()


def test_leaving_wal_mode_keeps_every_row_in_one_file(
    data_dir: Path, incidents: IncidentService, workspace: Workspace
) -> None:
    incident = incidents.declare(title="Queue stuck", severity="P2").incident
    incidents.log(incident.id, "drained the queue")
    path = workspace.path
    workspace.close()
    workspace_file.leave_wal_mode(path)
    assert not Path(f"{path}-wal").exists()
    assert _count(path, "SELECT count(*) FROM entry") == 2
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert path.name == workspace_file.DB_FILENAME


def test_the_errors_sqlite_raises_are_the_ones_named_here(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database " * 100)
    conn = sqlite3.connect(junk)
    try:
        try:
            conn.execute("SELECT * FROM sqlite_master").fetchall()
        except workspace_file.SqliteDatabaseError as exc:
            assert "not a database" in str(exc)
        else:  # pragma: no cover - the file is junk
            raise AssertionError("junk read as a database")
    finally:
        conn.close()
    assert issubclass(workspace_file.SqliteOperationalError, workspace_file.SqliteDatabaseError)
