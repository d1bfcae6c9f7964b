"""Where a secret store keeps secrets: how keyring backends are classified, a plain-file one
refused until accepted."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from commander.integrations.secrets import InsecureKeyring, Kind, MemoryKeyring, SecretStore


def test_plaintext_and_low_priority_backends_are_insecure(tmp_path: Path) -> None:
    from keyrings.alt.file import PlaintextKeyring

    store = SecretStore(data_dir=tmp_path / "ws")
    keyring.set_keyring(PlaintextKeyring())
    keeper = store.keeper()
    assert keeper.kind is Kind.INSECURE and not keeper.can_store
    assert keeper.path is not None and keeper.path.name == "keyring_pass.cfg"
    with pytest.raises(InsecureKeyring, match="plain file"):
        store.set("k", "v")
    store.accept_insecure(keeper)
    assert store.keeper().can_store and store.set("k", "v") is not None
    keyring.set_keyring(_LowPriority())  # keyring itself ranks it below a system keyring
    assert store.keeper().kind is Kind.INSECURE and not store.keeper().can_store
    with pytest.raises(InsecureKeyring):  # accepting one plain-file backend is not all of them
        store.set("k2", "v")
    keyring.set_keyring(MemoryKeyring())
    assert store.keeper().kind is Kind.KEYRING


class _LowPriority(KeyringBackend):
    """A third-party backend keyring ranks at 0.5 (like the alternate file backends)."""

    priority = 0.5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("an unaccepted insecure backend must not be written")

    def delete_password(self, service: str, username: str) -> None:
        return None
