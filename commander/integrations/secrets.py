"""Secrets (the shared database's password) live in the system keyring, never in files.

A headless box often has only keyring's ``fail`` backend; then ``SecretStore`` says so
(``persistent`` is False) and keeps secrets for this session only, in memory. Tests install
``MemoryKeyring`` as the keyring backend.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors
from jaraco.classes import properties
from keyring.backend import KeyringBackend

SERVICE = "commander-sync"


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in a dict: for tests."""

    @properties.classproperty
    def priority(cls) -> float:
        # Not viable for keyring's discovery: only ever installed on purpose (tests).
        raise RuntimeError("MemoryKeyring is installed explicitly with keyring.set_keyring")

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


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
        try:
            backend = keyring.get_keyring()
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
        try:
            return keyring.get_password(self._service, key)
        except keyring.errors.KeyringError:
            return None

    def set(self, key: str, secret: str, *, remember: bool = True) -> bool:
        """Store ``secret``; True when it went to the keyring, False when session-only."""
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
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(self._service, key)
