"""Secrets (the shared database's password) live in the system keyring, never in files.

A headless box often has only keyring's ``fail`` backend; then ``SecretStore`` says so
(``persistent`` is False) and keeps secrets for this session only, in memory. Tests install
``MemoryKeyring`` as the keyring backend.
"""

from __future__ import annotations

import contextlib
from typing import Any

# keyring is imported when a secret is first needed: it costs ~30 ms of start-up otherwise.

SERVICE = "commander-sync"


def __getattr__(name: str) -> Any:
    """``MemoryKeyring`` stays importable from here without loading keyring at start-up."""
    if name == "MemoryKeyring":
        from commander.integrations.memory_keyring import MemoryKeyring

        return MemoryKeyring
    raise AttributeError(name)


def _keyring() -> Any:
    import keyring
    import keyring.errors

    return keyring


class SecretStore:
    """Passwords keyed by a redacted URL: in keyring when it works, else for this session.

    Args:
        service: the keyring service name.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service
        self._session: dict[str, str] = {}

    @property
    def persistent(self) -> bool:
        """True when a real keyring backend is available."""
        from commander.integrations.memory_keyring import MemoryKeyring

        try:
            backend = _keyring().get_keyring()
        except Exception:
            return False
        if isinstance(backend, MemoryKeyring):
            return True
        return getattr(backend, "priority", 0) > 0 and "fail" not in type(backend).__module__

    def unavailable_reason(self) -> str:
        return (
            "No system keyring is available here; the password is kept for this session "
            "only and asked again next time."
        )

    def get(self, key: str) -> str | None:
        if key in self._session:
            return self._session[key]
        keyring = _keyring()
        try:
            return keyring.get_password(self._service, key)
        except keyring.errors.KeyringError:
            return None

    def set(self, key: str, secret: str, *, remember: bool = True) -> bool:
        """Store ``secret``; True when it went to the keyring, False when session-only."""
        keyring = _keyring()
        if remember and self.persistent:
            try:
                keyring.set_password(self._service, key, secret)
                self._session.pop(key, None)
                return True
            except keyring.errors.KeyringError:
                pass
        self._session[key] = secret
        return False

    def delete(self, key: str) -> None:
        self._session.pop(key, None)
        keyring = _keyring()
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(self._service, key)
