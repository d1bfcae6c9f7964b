"""The owner-only secrets file: for a machine with no keyring, when the user opts in.

``secrets.json`` in the data directory, mode 0600 in a 0700 directory, so only the account
that owns it (and root) can read it. It is plain JSON, not encrypted: the protection is the
file mode, like ``~/.pgpass`` or ``~/.netrc``. The user chooses it explicitly
(``commander secrets use-file`` or the checkbox in the Channels dialog); Commander then says
where secrets are kept wherever one is stored.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

from commander.core.errors import CommanderError
from commander.storage.private_files import FILE_MODE, private_dir, write_private

SECRETS_FILENAME = "secrets.json"
_VERSION = 1


class SecretFile:
    """Secrets by ``(service, key)`` in one owner-only JSON file.

    Args:
        path: usually ``data_dir / "secrets.json"``.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def get(self, service: str, key: str) -> str | None:
        value = self._read().get(service, {}).get(key)
        return value if isinstance(value, str) else None

    def keys(self, service: str) -> list[str]:
        return sorted(self._read().get(service, {}))

    def set(self, service: str, key: str, secret: str) -> None:
        with self._locked():
            data = self._read()
            data.setdefault(service, {})[key] = secret
            self._write(data)

    def delete(self, service: str, key: str) -> bool:
        with self._locked():
            data = self._read()
            if data.get(service, {}).pop(key, None) is None:
                return False
            if not data[service]:
                del data[service]
            self._write(data)
            return True

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise CommanderError(f"The secrets file {self.path} cannot be read ({exc}).") from exc
        self._keep_private()
        try:
            value = json.loads(raw)
            secrets = value["secrets"]
            if not isinstance(secrets, dict):
                raise TypeError("secrets is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            raise CommanderError(
                f"The secrets file {self.path} is damaged ({exc}); fix or delete it."
            ) from exc
        return {str(s): dict(v) for s, v in secrets.items() if isinstance(v, dict)}

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        private_dir(self.path.parent)
        body = json.dumps({"version": _VERSION, "secrets": data}, indent=2, sort_keys=True)
        write_private(self.path, body.encode("utf-8"))

    def _keep_private(self) -> None:
        """A file someone opened up (chmod 644) is narrowed again before it is used."""
        with contextlib.suppress(OSError):
            if self.path.stat().st_mode & 0o077:
                os.chmod(self.path, FILE_MODE)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across processes (the window and a CLI command)."""
        try:
            import fcntl
        except ImportError:  # Windows: the rename is still atomic; a race can lose one write
            yield
            return
        private_dir(self.path.parent)
        lock = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
