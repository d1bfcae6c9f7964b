"""Reading a file a user names, never more than its limit (``/dev/zero`` ends, too)."""

from __future__ import annotations

from pathlib import Path

from commander.core.errors import ValidationError
from commander.core.limits import check_size


def read_bounded(path: str | Path, *, limit: int, what: str | None = None) -> bytes:
    """At most ``limit`` bytes of ``path``.

    Raises:
        ValidationError: the file cannot be read, or holds more than ``limit`` bytes.
    """
    name = what or str(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return check_size(data, limit=limit, what=name)
