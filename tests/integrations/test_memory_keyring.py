"""The in-memory keyring backend: passwords kept per (service, name), deleting one that is not
there keyring's own error, and never picked by keyring's discovery."""

from __future__ import annotations

import keyring
import keyring.errors
import pytest

from commander.integrations.memory_keyring import MemoryKeyring


def test_passwords_are_kept_per_service_and_name() -> None:
    backend = MemoryKeyring()
    backend.set_password("svc-a", "token", "one")
    backend.set_password("svc-b", "token", "two")
    backend.set_password("svc-a", "token", "three")  # replaced
    assert backend.get_password("svc-a", "token") == "three"
    assert backend.get_password("svc-b", "token") == "two"
    assert backend.get_password("svc-a", "other") is None
    assert backend.passwords == {("svc-a", "token"): "three", ("svc-b", "token"): "two"}


def test_deleting_a_missing_password_is_keyring_s_error(memory_keyring: MemoryKeyring) -> None:
    keyring.set_password("svc", "name", "pw")
    keyring.delete_password("svc", "name")
    assert keyring.get_password("svc", "name") is None
    with pytest.raises(keyring.errors.PasswordDeleteError):
        keyring.delete_password("svc", "name")


def test_it_is_never_viable_for_discovery() -> None:
    with pytest.raises(RuntimeError, match="installed explicitly"):
        _ = MemoryKeyring.priority
