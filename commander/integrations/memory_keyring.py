"""An in-memory keyring backend, installed on purpose by tests (never by discovery)."""

from __future__ import annotations

import keyring.errors
from jaraco.classes import properties
from keyring.backend import KeyringBackend


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
