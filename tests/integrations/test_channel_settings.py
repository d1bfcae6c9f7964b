"""Channel settings and secrets: per-workspace secrets (and the adoption of shared ones), none of
them in a file, refused without a keyring unless for the session, and the CA file checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commander.core.channels import Channel
from commander.core.errors import ValidationError
from commander.integrations.channel_settings import (
    SECRET_NAMES,
    SLACK_URL,
    SMTP_PASSWORD,
    STATUSPAGE_KEY,
    WEBHOOK_SECRET,
    ChannelSecrets,
    ChannelSettings,
    KeyringUnavailable,
    check_ca_file,
    load_channel_settings,
    save_channel_settings,
)
from commander.integrations.workspace_key import workspace_key
from commander.services.delivery import DeliveryEngine


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


def test_a_ca_file_that_cannot_be_used_is_refused_in_one_sentence(tmp_path: Path) -> None:
    check_ca_file("")  # none: the system's CAs only
    with pytest.raises(ValidationError, match="give the full path"):
        check_ca_file("ca.pem")
    with pytest.raises(ValidationError, match=r"ca\.pem does not exist\.$"):
        check_ca_file(str(tmp_path / "ca.pem"))
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(ValidationError, match=r"cannot be used \(no PEM certificate in it\)"):
        check_ca_file(str(tmp_path / "junk.pem"))


def test_no_secret_reaches_the_workspace_or_the_settings_file(
    outbox, secrets, server, incident, workspace, memory_keyring
) -> None:
    values = {name: f"SECRET-{n}-{name}-x7q" for n, name in enumerate(SECRET_NAMES)}
    values[SLACK_URL] = server.url + "/services/SECRET-slack-path-x7q"
    values[WEBHOOK_SECRET] = "whsec_U0VDUkVULXdlYmhvb2sta2V5"
    for name, value in values.items():
        assert secrets.set(name, value) is not None
    settings = ChannelSettings(statuspage_page_id="pg1", smtp_host="mail", smtp_user="bob")
    save_channel_settings(workspace.data_dir, settings)
    outbox.queue(incident.id, "update", channel=Channel.SLACK)
    DeliveryEngine(outbox, settings=lambda: settings, secrets=secrets).run_once()
    assert server.requests  # the secret URL was used
    workspace.close()
    files = [p for p in Path(workspace.data_dir).iterdir() if p.is_file()]
    assert any(p.name == "channels.json" for p in files)
    assert any(p.name.startswith("workspace.sqlite3") for p in files)
    for path in files:
        data = path.read_bytes()
        for value in values.values():
            assert value.encode() not in data, f"{value} found in {path.name}"
        assert b"SECRET-" not in data and b"x7q" not in data
    service = secrets.store.service
    assert service.startswith("commander-channels/")  # keyed by this workspace
    assert memory_keyring.passwords[(service, STATUSPAGE_KEY)] == values[STATUSPAGE_KEY]
    assert load_channel_settings(workspace.data_dir) == settings


def test_without_a_keyring_secrets_are_refused_unless_session_only(data_dir: Path) -> None:
    # The suite's default backend is keyring's "fail" (tests/conftest.py): a headless box.
    secrets = ChannelSecrets(data_dir)
    assert not secrets.persistent
    with pytest.raises(KeyringUnavailable, match="No keyring can keep secrets"):
        secrets.set(SMTP_PASSWORD, "hunter2")
    assert secrets.get(SMTP_PASSWORD) == ""
    assert secrets.set(SMTP_PASSWORD, "hunter2", session_only=True) is None
    assert secrets.get(SMTP_PASSWORD) == "hunter2"
    # A new process (a new store) does not have it: it was never written anywhere.
    assert ChannelSecrets(data_dir).get(SMTP_PASSWORD) == ""
    assert not (data_dir / "secrets.json").exists()
