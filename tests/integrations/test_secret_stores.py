"""Where secrets go: per-workspace channel secrets (and the migration of shared ones), the
owner-only file, and how keyring backends are classified."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from commander.core.errors import CommanderError
from commander.integrations.channel_settings import (
    SLACK_URL,
    ChannelSecrets,
    ChannelSettings,
    save_channel_settings,
)
from commander.integrations.secret_file import SecretFile
from commander.integrations.secrets import (
    InsecureKeyring,
    Kind,
    MemoryKeyring,
    SecretStore,
    use_file,
)
from commander.integrations.workspace_key import workspace_key


def test_two_workspaces_keep_their_own_slack_url(tmp_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    red, blue = tmp_path / "red", tmp_path / "blue"
    ChannelSecrets(red).set(SLACK_URL, "https://hooks.slack.com/services/RED")
    ChannelSecrets(blue).set(SLACK_URL, "https://hooks.slack.com/services/BLUE")
    assert ChannelSecrets(red).get(SLACK_URL).endswith("RED")
    assert ChannelSecrets(blue).get(SLACK_URL).endswith("BLUE")
    services = {service for service, _name in memory_keyring.passwords}
    assert services == {
        f"commander-channels/{workspace_key(red).id}",
        f"commander-channels/{workspace_key(blue).id}",
    }
    assert workspace_key(red).id != workspace_key(blue).id
    assert workspace_key(red) == workspace_key(red)  # stable
    ChannelSecrets(red).delete(SLACK_URL)
    assert ChannelSecrets(red).get(SLACK_URL) == ""
    assert ChannelSecrets(blue).get(SLACK_URL).endswith("BLUE")


def test_secrets_shared_before_the_id_are_adopted_not_lost(tmp_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    legacy = "https://hooks.slack.com/services/SHARED"
    memory_keyring.passwords[("commander-channels", SLACK_URL)] = legacy
    old_a, old_b, new = tmp_path / "a", tmp_path / "b", tmp_path / "new"
    for folder in (old_a, old_b):  # set up with an older version: channels.json, no id
        save_channel_settings(folder, ChannelSettings())
    assert ChannelSecrets(old_a).get(SLACK_URL) == legacy
    own = f"commander-channels/{workspace_key(old_a).id}"
    assert memory_keyring.passwords[(own, SLACK_URL)] == legacy  # copied to its own service
    assert json.loads((old_a / "workspace-id.json").read_text())["adopt_shared"] is False
    # The shared entry stays, so the other old workspace adopts it too ...
    assert memory_keyring.passwords[("commander-channels", SLACK_URL)] == legacy
    assert ChannelSecrets(old_b).get(SLACK_URL) == legacy
    # ... and changing one no longer changes the other.
    ChannelSecrets(old_a).set(SLACK_URL, "https://hooks.slack.com/services/A-ONLY")
    assert ChannelSecrets(old_b).get(SLACK_URL) == legacy
    # A workspace created now does not inherit another's Slack URL.
    assert ChannelSecrets(new).get(SLACK_URL) == ""


def test_adoption_waits_while_nothing_can_store(tmp_path: Path) -> None:
    """No keyring yet: nothing to copy to, the shared entry is read where it is (here: none)."""
    save_channel_settings(tmp_path / "ws", ChannelSettings())
    assert ChannelSecrets(tmp_path / "ws").get(SLACK_URL) == ""
    assert json.loads((tmp_path / "ws" / "workspace-id.json").read_text())["adopt_shared"]


def test_the_secret_file_is_owner_only_and_says_when_damaged(tmp_path: Path) -> None:
    data_dir = tmp_path / "ws"
    use_file(data_dir)
    store = SecretStore("commander-sync", data_dir=data_dir)
    keeper = store.set("postgresql+psycopg://ann@db/ops", "pw-1")
    assert keeper is not None and keeper.kind is Kind.FILE
    path = data_dir / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # someone opened it up: narrowed again before it is used
    assert SecretStore("commander-sync", data_dir=data_dir).get("postgresql+psycopg://ann@db/ops")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    store.delete("postgresql+psycopg://ann@db/ops")
    assert SecretFile(path).keys("commander-sync") == []
    path.write_text("{not json")
    with pytest.raises(CommanderError, match=r"secrets file .* is damaged"):
        store.get("anything")


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


def test_a_new_node_key_never_goes_to_an_unaccepted_plaintext_keyring(tmp_path: Path) -> None:
    from keyrings.alt.file import PlaintextKeyring

    from commander.integrations.node_keys import FILE, KEYRING, NodeKeys

    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    _signer, info = NodeKeys(tmp_path / "a").load_or_create("node-a")
    assert info.store == FILE and not Path(backend.file_path).exists()
    assert stat.S_IMODE(NodeKeys(tmp_path / "a").key_file("node-a").stat().st_mode) == 0o600
    keyring.set_keyring(MemoryKeyring())
    assert NodeKeys(tmp_path / "b").load_or_create("node-b")[1].store == KEYRING
    use_file(tmp_path / "c")  # the workspace chose the owner-only file: its key goes there too
    assert NodeKeys(tmp_path / "c").load_or_create("node-c")[1].store == FILE


def test_processes_starting_at_once_agree_on_the_workspace_id(tmp_path: Path) -> None:
    """A half-written id file, read by a second starter, was once replaced with a new id."""
    import threading

    for round_ in range(20):
        folder = tmp_path / f"ws-{round_}"
        folder.mkdir()
        start = threading.Barrier(8)
        ids: list[str] = []

        def one(
            folder: Path = folder, start: threading.Barrier = start, ids: list[str] = ids
        ) -> None:
            start.wait()
            ids.append(workspace_key(folder).id)

        threads = [threading.Thread(target=one) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(ids)) == 1 and workspace_key(folder).id == ids[0]
        assert [p.name for p in folder.iterdir()] == ["workspace-id.json"]  # nothing left aside
