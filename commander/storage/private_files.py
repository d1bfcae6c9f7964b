"""The data directory is the user's alone: the folder 0700, the files in it 0600.

The workspace holds the incident record (who was paged, what broke, customer impact) and,
when the user chose it, the owner-only secrets file. SQLite creates its files with the
process umask (usually 0644, readable by every account on the machine), so the directory
and the files Commander keeps in it are tightened when a workspace is opened, including
ones an older version left world-readable. Exports go where the user points them and keep
the mode the user's umask gives.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
# What Commander itself writes in the data directory (the DB, its -wal/-shm/-journal, backups,
# settings JSON, the secrets file, the workspace id); anything else there is left alone.
_OWN_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal", ".bak", ".json")
_OWN_NAMES = ("workspace-id",)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700; returns it."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _narrow(path, DIR_MODE)
    return path


def tighten(data_dir: Path) -> list[Path]:
    """Make ``data_dir`` 0700 and Commander's files in it 0600; returns what was changed.

    Only modes wider than the target are narrowed (a file the user made 0400 stays so).
    """
    changed: list[Path] = []
    if _narrow(data_dir, DIR_MODE):
        changed.append(data_dir)
    with contextlib.suppress(OSError):
        for entry in os.scandir(data_dir):
            if not entry.is_file(follow_symlinks=False) or not _is_own(entry.name):
                continue
            path = Path(entry.path)
            if _narrow(path, FILE_MODE):
                changed.append(path)
    return changed


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary 0600 file beside ``path``, then rename it over."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (SQLite then keeps that mode and
    gives its -wal and -shm files the same)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def is_private(path: Path) -> bool:
    """True when neither the group nor others can read or write ``path``."""
    return not path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def _is_own(name: str) -> bool:
    return name in _OWN_NAMES or (not name.startswith(".") and name.endswith(_OWN_SUFFIXES))


def _narrow(path: Path, target: int) -> bool:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return False
    narrowed = mode & target
    if narrowed == mode:
        return False
    return _chmod(path, narrowed)


def _chmod(path: Path, mode: int) -> bool:
    try:
        os.chmod(path, mode)
    except OSError:  # a file system without modes (FAT, some network shares)
        return False
    return True
