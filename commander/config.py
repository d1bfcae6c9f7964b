"""Where the workspace lives and who is typing: resolved once, passed down from the top."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

APP_NAME = "Commander"
ENV_DATA_DIR = "COMMANDER_DATA_DIR"
ENV_AUTHOR = "COMMANDER_AUTHOR"


def default_data_dir() -> Path:
    """The platform's user data directory (``~/.local/share/Commander`` on Linux)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` beats ``COMMANDER_DATA_DIR`` beats the platform default."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def resolve_author(cli_value: str | None = None) -> str:
    """The name written as author of every op: ``--author``, ``COMMANDER_AUTHOR`` or the login."""
    for candidate in (cli_value, os.environ.get(ENV_AUTHOR)):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"


def local_zone() -> tzinfo:
    """The user's IANA time zone (DST-aware), for display and ``HH:MM`` in the quick entry."""
    from tzlocal import get_localzone

    try:
        return get_localzone()
    except Exception:
        from datetime import UTC

        return UTC


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    author: str
    zone: tzinfo
