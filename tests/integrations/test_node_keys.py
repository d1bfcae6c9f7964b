"""Where a node's signing key lives: the keyring when there is one, else an owner-only file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from commander.core.errors import WorkspaceError
from commander.integrations.node_keys import FILE, KEYRING, SERVICE, NodeKeys
from commander.integrations.secrets import MemoryKeyring, use_file


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(previous)


def test_key_goes_to_the_keyring_when_there_is_one(tmp_path, memory_keyring) -> None:
    keys = NodeKeys(tmp_path)
    signer, info = keys.load_or_create("node-1")
    assert info.store == KEYRING and "system keyring" in info.where
    assert memory_keyring.passwords[(SERVICE, "node-1")] == signer.private_hex()
    assert not keys.key_file("node-1").exists()  # never also on disk
    again, _ = NodeKeys(tmp_path).load_or_create("node-1")
    assert again.public_key == signer.public_key


def test_without_a_keyring_the_key_is_a_file_only_its_owner_reads(tmp_path, no_keyring) -> None:
    keys = NodeKeys(tmp_path)
    signer, info = keys.load_or_create("node-1")
    path = keys.key_file("node-1")
    assert info.store == FILE and str(path) in info.where
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)  # someone loosened it
    again, _ = keys.load_or_create("node-1")
    assert again.public_key == signer.public_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_key_file_is_one_sentence(tmp_path, no_keyring) -> None:
    keys = NodeKeys(tmp_path)
    keys.key_file("node-1").write_text("not a key\n")
    with pytest.raises(WorkspaceError, match=r"signing key in .* is damaged"):
        keys.load("node-1")


def test_a_workspace_whose_key_was_lost_refuses_to_write_rather_than_sign_wrongly(
    tmp_path, clock, no_keyring
) -> None:
    from datetime import UTC

    from commander.services.incidents import IncidentService
    from commander.services.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws", author="alice", clock=clock, zone=UTC)
    IncidentService(ws).declare(title="API down", severity="P1")
    ws.close()
    NodeKeys(tmp_path / "ws").key_file(ws.node_id).unlink()
    ws = Workspace.open(tmp_path / "ws", author="alice", clock=clock, zone=UTC)
    try:
        with pytest.raises(WorkspaceError, match="signing key is missing"):
            IncidentService(ws).declare(title="Another", severity="P2")
        assert not NodeKeys(tmp_path / "ws").key_file(ws.node_id).exists()  # no new key made
        assert [i.title for i in IncidentService(ws).list()] == ["API down"]
    finally:
        ws.close()


def test_a_new_node_key_never_goes_to_an_unaccepted_plaintext_keyring(tmp_path: Path) -> None:
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    _signer, info = NodeKeys(tmp_path / "a").load_or_create("node-a")
    assert info.store == FILE and not Path(backend.file_path).exists()
    assert stat.S_IMODE(NodeKeys(tmp_path / "a").key_file("node-a").stat().st_mode) == 0o600
    keyring.set_keyring(MemoryKeyring())
    assert NodeKeys(tmp_path / "b").load_or_create("node-b")[1].store == KEYRING
    use_file(tmp_path / "c")  # the workspace chose the owner-only file: its key goes there too
    assert NodeKeys(tmp_path / "c").load_or_create("node-c")[1].store == FILE
