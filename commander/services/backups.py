"""Rolling backups of the workspace, and putting a file aside before it is replaced.

A damaged workspace is recovered from what can still be read (``services/recovery.py``) or
from a backup. Backups are taken with SQLite's online backup API (consistent while the app
writes), hourly while an incident is active and daily otherwise, into ``DATA_DIR/backups``
(0700; each file 0600, like the workspace itself). Only the newest ``KEEP`` are kept, and a
copy that fails ``quick_check`` is never kept: a damaged file must not push out sound ones.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from commander.core.errors import DamagedWorkspaceError, NotFoundError, WorkspaceError
from commander.core.policy import Status
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.integrity import quick_check
from commander.storage.workspace_file import DB_FILENAME, copy_database

BACKUP_DIR = "backups"
KEEP = 5
ACTIVE_INTERVAL = timedelta(hours=1)
IDLE_INTERVAL = timedelta(days=1)
_PREFIX = "workspace-"
_SUFFIX = ".sqlite3"
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Backup:
    """One backup file; ``name`` is what ``commander backup restore`` takes."""

    path: Path
    taken_at: datetime
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    # Hand-written: the file's name (computed) and the local ISO time.
    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "taken_at": self.taken_at.isoformat(), "size": self.size}


def backup_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def list_backups(data_dir: Path) -> list[Backup]:
    """The backups in ``data_dir``, newest first."""
    folder = backup_dir(data_dir)
    found = []
    for path in folder.glob(f"{_PREFIX}*{_SUFFIX}") if folder.is_dir() else ():
        stamp = path.name[len(_PREFIX) : -len(_SUFFIX)]
        try:
            taken = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue  # not ours
        found.append(Backup(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def find_backup(data_dir: Path, name: str) -> Backup:
    """The backup called ``name`` (or ``latest``)."""
    backups = list_backups(data_dir)
    if not backups:
        raise NotFoundError(f"There is no backup in {backup_dir(data_dir)}.")
    if name == "latest":
        return backups[0]
    for backup in backups:
        if backup.name == name or backup.path.stem == name:
            return backup
    raise NotFoundError(
        f"There is no backup called {name}; 'commander backup list' shows the {len(backups)} "
        "there are."
    )


def backup_due(data_dir: Path, *, now: datetime, active: bool) -> bool:
    """Hourly while an incident is active, daily otherwise."""
    backups = list_backups(data_dir)
    if not backups:
        return True
    interval = ACTIVE_INTERVAL if active else IDLE_INTERVAL
    return now - backups[0].taken_at >= interval


def has_active_incident(workspace: Workspace) -> bool:
    closed = [Status.RESOLVED.value, Status.CLOSED.value]
    with workspace.read() as conn:
        count = queries.count_incidents_with_status_other_than(conn, closed)
    return bool(count)


def backup_if_due(workspace: Workspace) -> Backup | None:
    """Take a backup if one is due (the GUI's timer calls this on a worker)."""
    now = workspace.clock.now()
    if not backup_due(workspace.data_dir, now=now, active=has_active_incident(workspace)):
        return None
    return take_backup(workspace.data_dir, now=now)


def take_backup(data_dir: Path, *, now: datetime, keep: int = KEEP) -> Backup:
    """Copy the workspace into the backup folder, check the copy, drop the oldest.

    Raises:
        DamagedWorkspaceError: the workspace is damaged; no backup was kept.
    """
    source_path = Path(data_dir) / DB_FILENAME
    if not source_path.exists():
        raise WorkspaceError(f"There is no workspace at {source_path} to back up.")
    folder = backup_dir(data_dir)
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    target = folder / f"{_PREFIX}{now.astimezone(UTC).strftime(_STAMP)}{_SUFFIX}"
    partial = target.with_name(target.name + ".partial")
    copy_database(source_path, partial)
    problems = quick_check(partial)
    if problems:
        partial.unlink()
        raise DamagedWorkspaceError(
            f"The workspace {source_path} is damaged ({problems[0]}), so no backup was taken; "
            "'commander db recover' saves what can be read.",
            tuple(problems),
        )
    os.replace(partial, target)
    for old in list_backups(data_dir)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, now.astimezone(UTC).replace(microsecond=0), target.stat().st_size)


def restore_backup(data_dir: Path, backup: Backup, *, now: datetime) -> Path | None:
    """Put ``backup`` in place of the workspace; the file it replaces is set aside first.

    Returns the set-aside copy of the replaced file (None when there was none). The
    workspace must not be open.
    """
    path = Path(data_dir) / DB_FILENAME
    problems = quick_check(backup.path)
    if problems:
        raise DamagedWorkspaceError(
            f"The backup {backup.name} is damaged too ({problems[0]}); choose another.",
            tuple(problems),
        )
    aside = set_aside(path, "replaced", now=now) if path.exists() else None
    fresh = path.with_name(path.name + ".restoring")
    copy_database(backup.path, fresh)
    remove_database(path)
    os.replace(fresh, path)
    return aside


def set_aside(path: Path, label: str, *, now: datetime) -> Path:
    """Copy the file at ``path`` byte for byte (with its WAL) to ``<name>.<label>-<stamp>``.

    A byte copy, not SQLite's backup: a damaged file must be kept exactly as it was.
    """
    aside = path.with_name(f"{path.name}.{label}-{now.astimezone(UTC).strftime(_STAMP)}")
    for suffix in ("", "-wal"):
        source = path.with_name(path.name + suffix)
        if source.exists() and (not suffix or source.stat().st_size):
            target = aside.with_name(aside.name + suffix)
            shutil.copyfile(source, target)
            os.chmod(target, 0o600)
    return aside


def remove_database(path: Path) -> None:
    """Remove the file and its WAL and shared-memory files (the workspace is closed)."""
    for suffix in ("-wal", "-shm", ""):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
