"""The workspace's SQLite file as a file: its name, opening it, copying it consistently,
leaving it without a WAL, and the errors SQLite raises when the file is not a sound database.

Services and sync use this module, never ``sqlite3`` or ``database.dbapi``: SQL and the driver
stay in storage.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from sqlite3 import DatabaseError as SqliteDatabaseError
from sqlite3 import OperationalError as SqliteOperationalError

from commander.storage.database import DB_FILENAME, flush_wal, open_engine, replayable_write


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the WAL included), mode 0600."""
    target.unlink(missing_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        src.close()
    os.chmod(target, 0o600)


def leave_wal_mode(path: Path) -> None:
    """Fold the WAL into the file and switch it to a rollback journal: one file to move."""
    checkpoint = sqlite3.connect(path)
    try:
        checkpoint.execute("PRAGMA journal_mode=DELETE")
    finally:
        checkpoint.close()


__all__ = [
    "DB_FILENAME",
    "SqliteDatabaseError",
    "SqliteOperationalError",
    "copy_database",
    "flush_wal",
    "leave_wal_mode",
    "open_engine",
    "replayable_write",
]
