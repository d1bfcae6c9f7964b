"""Where the workspace lives and who is typing: resolved once, passed down from the top."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from commander.core.business_hours import BusinessHours
from commander.core.errors import ValidationError
from commander.core.limits import SHORT_MAX
from commander.core.text import clean_text

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


def resolve_author(cli_value: str | None = None, data_dir: Path | None = None) -> str:
    """The name written as author of every op: ``--author``, ``COMMANDER_AUTHOR``, the identity
    saved in the settings dialog (``settings.json`` in ``data_dir``), or the login."""
    for candidate in (cli_value, os.environ.get(ENV_AUTHOR)):
        if candidate and candidate.strip():
            # Written on every op: the same checks as any name typed into the record.
            return clean_text(candidate, what="The author name", limit=SHORT_MAX)
    if data_dir is not None:
        try:
            saved = load_identity(data_dir).author
        except ValidationError:
            saved = ""  # a damaged file is reported where settings are edited, not here
        if saved:
            return saved
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


SETTINGS_FILENAME = "settings.json"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DeadlineSettings:
    """How deadlines are computed and shown; stored in ``settings.json`` in the data dir.

    Business hours apply to the procedure's "next business day" (P3); ``zone`` None means the
    computer's zone.
    """

    days: frozenset[int] = frozenset(range(5))
    start: str = "09:00"
    end: str = "17:00"
    zone: str | None = None
    due_soon_minutes: int = 5

    # Hand-written: days become sorted day names and the keys are the settings file's.
    def to_json(self) -> dict[str, object]:
        return {
            "business_days": [DAY_NAMES[d] for d in sorted(self.days)],
            "business_start": self.start,
            "business_end": self.end,
            "time_zone": self.zone,
            "due_soon_minutes": self.due_soon_minutes,
        }

    def business_hours(self) -> BusinessHours:
        """The calendar for the deadline engine (raises ValidationError on bad values)."""
        from datetime import time as wall_time
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            zone = ZoneInfo(self.zone) if self.zone else local_zone()
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(f"Unknown time zone {self.zone!r}.") from None
        try:
            start, end = wall_time.fromisoformat(self.start), wall_time.fromisoformat(self.end)
        except ValueError:
            raise ValidationError(
                f"Business hours {self.start}-{self.end} are not HH:MM times."
            ) from None
        return BusinessHours(days=self.days, start=start, end=end, zone=zone)


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri``, ``mon,wed,fri`` or ``sun-thu``."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValidationError(f"{text!r}: name days as mon, tue ... sun (e.g. mon-fri).")
        a, b = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
        days.update(span)
    return frozenset(days)


def load_deadline_settings(data_dir: Path) -> DeadlineSettings:
    """Settings from the data dir; defaults when there is no file.

    Raises:
        ValidationError: the file is unreadable or holds values that make no sense (the
            message names the file, so the user can fix or delete it).
    """
    import json

    path = Path(data_dir) / SETTINGS_FILENAME
    if not path.exists():
        return DeadlineSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        settings = DeadlineSettings(
            days=parse_days(",".join(raw.get("business_days", DAY_NAMES[:5]))),
            start=str(raw.get("business_start", "09:00")),
            end=str(raw.get("business_end", "17:00")),
            zone=raw.get("time_zone") or None,
            due_soon_minutes=int(raw.get("due_soon_minutes", 5)),
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(f"{path} is not valid settings ({exc}); fix or delete it.") from exc
    settings.business_hours()  # validate now, not at the first P3
    if not 0 <= settings.due_soon_minutes <= 24 * 60:
        raise ValidationError(f"{path}: due_soon_minutes must be between 0 and 1440.")
    return settings


def save_deadline_settings(data_dir: Path, settings: DeadlineSettings) -> Path:
    """Validate and write atomically (other settings in the file are kept)."""
    settings.business_hours()
    return update_settings_file(data_dir, settings.to_json())


def _read_settings_file(data_dir: Path) -> dict[str, Any]:
    import json

    path = Path(data_dir) / SETTINGS_FILENAME
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"{path} is not valid settings ({exc}); fix or delete it.") from exc
    if not isinstance(raw, dict):
        raise ValidationError(f"{path} is not valid settings; fix or delete it.")
    return raw


def update_settings_file(data_dir: Path, values: dict[str, Any]) -> Path:
    """Replace ``values`` in ``settings.json``, keeping every other key (an unreadable file is
    replaced: the user chose to save new settings over it)."""
    try:
        current = _read_settings_file(data_dir)
    except ValidationError:
        current = {}
    return write_json_atomically(Path(data_dir) / SETTINGS_FILENAME, {**current, **values})


HANDLE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"


@dataclass(frozen=True)
class Identity:
    """Who is typing: ``handle`` is written as the author of every op; ``name`` is for people."""

    name: str = ""
    handle: str = ""

    @property
    def author(self) -> str:
        return self.handle or self.name

    def validated(self) -> Identity:
        """A cleaned copy (trimmed, ``@`` dropped).

        Raises:
            ValidationError: a handle with spaces or odd characters, or an overlong name.
        """
        import re

        name, handle = " ".join(self.name.split()), self.handle.strip().lstrip("@")
        if len(name) > 80:
            raise ValidationError("Name is too long (80 characters at most).")
        if handle and not re.fullmatch(HANDLE_PATTERN, handle):
            raise ValidationError(
                "Handle: up to 40 letters, digits, dots, dashes or underscores, no spaces."
            )
        return Identity(name=name, handle=handle)


def load_identity(data_dir: Path) -> Identity:
    raw = _read_settings_file(data_dir).get("identity") or {}
    if not isinstance(raw, dict):
        raise ValidationError(f"{Path(data_dir) / SETTINGS_FILENAME}: identity is not an object.")
    return Identity(name=str(raw.get("name", "")), handle=str(raw.get("handle", "")))


def save_identity(data_dir: Path, identity: Identity) -> Identity:
    identity = identity.validated()
    update_settings_file(data_dir, {"identity": {"name": identity.name, "handle": identity.handle}})
    return identity


def parse_zone(name: str | None) -> tzinfo:
    """``ZoneInfo(name)``, or the computer's zone for None/empty.

    Raises:
        ValidationError: not an IANA zone name.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name:
        return local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"Unknown time zone {name!r} (use a name like Europe/Paris)."
        raise ValidationError(message) from None


def load_display_zone_name(data_dir: Path) -> str | None:
    """The zone chosen for showing times (None: the computer's)."""
    value = _read_settings_file(data_dir).get("display_zone")
    return str(value) if value else None


def resolve_display_zone(data_dir: Path) -> tzinfo:
    """The zone times are shown in: the saved choice, or the computer's if none or broken."""
    try:
        return parse_zone(load_display_zone_name(data_dir))
    except ValidationError:
        return local_zone()


def save_display_zone(data_dir: Path, name: str | None) -> tzinfo:
    zone = parse_zone(name)
    update_settings_file(data_dir, {"display_zone": name or None})
    return zone


def write_json_atomically(path: Path, value: object) -> Path:
    """Write JSON to a temporary file beside ``path``, then rename it over: a crash mid-write
    never leaves half a settings file."""
    import json
    import os
    import tempfile

    from commander.storage.private_files import private_dir

    private_dir(path.parent)  # the data directory is the user's alone (0700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=2)
    os.replace(tmp, path)
    return path


WELCOMED_KEY = "welcomed"


def load_welcomed(data_dir: Path) -> bool:
    """Whether this workspace's first-run welcome was shown (``settings.json``). A damaged
    file counts as yes: the welcome must not tempt anyone into saving over it."""
    try:
        return bool(_read_settings_file(data_dir).get(WELCOMED_KEY, False))
    except ValidationError:
        return True


def save_welcomed(data_dir: Path) -> Path:
    return update_settings_file(data_dir, {WELCOMED_KEY: True})
