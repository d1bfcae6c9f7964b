"""Passwords go to keyring (keyed by the URL without them) or stay for the session only."""

from __future__ import annotations

import keyring
import pytest

from commander.integrations.secrets import MemoryKeyring, SecretStore
from commander.sync.errors import SyncError
from commander.sync.url import ServerUrl


@pytest.fixture
def backend():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def test_password_is_kept_in_keyring_by_redacted_url(backend):
    server = ServerUrl.parse("postgresql+psycopg://ann:pw@db.example:5432/ops?sslmode=require")
    assert server.redacted == "postgresql+psycopg://ann@db.example:5432/ops?sslmode=require"
    assert server.connect_kwargs()["sslmode"] == "require"
    store = SecretStore()
    assert store.persistent and store.set(server.redacted, "pw") is not None
    assert backend.passwords == {("commander-sync", server.redacted): "pw"}
    assert SecretStore().get(server.redacted) == "pw"
    store.delete(server.redacted)
    assert backend.passwords == {}


def test_without_a_keyring_the_password_is_refused_or_session_only_when_asked():
    from commander.integrations.secrets import SecretsUnavailable

    store = SecretStore()  # the suite's default backend: keyring's "fail"
    assert not store.persistent
    with pytest.raises(SecretsUnavailable, match="use-file"):
        store.set("k", "pw")
    assert store.get("k") is None
    assert store.set("k", "pw", session_only=True) is None and store.get("k") == "pw"
    assert SecretStore().get("k") is None


def test_memory_keyring_is_never_picked_by_discovery():
    assert not MemoryKeyring.viable


@pytest.mark.parametrize(
    ("text", "message"),
    [("mysql://u@h/db", "not PostgreSQL"), ("postgresql+psycopg://u@h", "names no database")],
)
def test_wrong_urls_say_why(text, message):
    with pytest.raises(SyncError, match=message):
        ServerUrl.parse(text)
