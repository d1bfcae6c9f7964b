"""The owner-only secrets file behind a workspace that chose it: 0600 kept, keys listed per
service, a damaged file one sentence."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from commander.core.errors import CommanderError
from commander.integrations.secret_file import SecretFile
from commander.integrations.secrets import Kind, SecretStore, use_file


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
