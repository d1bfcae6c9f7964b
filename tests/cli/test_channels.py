"""``commander channel ...`` and ``commander secrets ...``: secrets from stdin only, kept where
the workspace keeps them, refused (with nothing stored) where nothing can keep them."""

from __future__ import annotations

import base64
import io
import json
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest

from commander.integrations.channel_settings import SLACK_URL, WEBHOOK_SECRET, WEBHOOK_URL
from commander.integrations.secrets import MemoryKeyring


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    from tests.integrations.conftest import RecordingServer

    srv = RecordingServer()
    yield srv
    srv.close()


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``stdin("line\\n")``: what the next command reads as its standard input."""

    def _feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))

    return _feed


def _files_without(folder: Path, secret: str, *, allowed: tuple[str, ...] = ()) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path.name not in allowed:
            assert secret.encode() not in path.read_bytes(), f"secret found in {path}"


def test_set_list_test_remove_a_slack_channel(run, stdin, memory, server, cli_dir) -> None:  # type: ignore[no-untyped-def]
    url = server.url + "/services/T000/B000/SECRETpath9z"
    stdin(url + "\n")
    saved = run("channel", "set", "slack")
    assert saved.code == 0, saved.err
    assert "Slack saved (1 secret(s) stored in the system keyring (MemoryKeyring))" in saved.out
    assert url not in saved.out
    listed = run("channel", "list", "--json")
    slack = next(c for c in listed.json()["channels"] if c["channel"] == "slack")
    assert slack == {
        "channel": "slack",
        "configured": True,
        "problem": None,
        "settings": {},
        "secrets": {SLACK_URL: True},
    }
    assert "SECRETpath9z" not in listed.out and "SECRETpath9z" not in run("channel", "list").out
    tested = run("channel", "test", "slack")
    assert tested.code == 0, tested.err
    assert tested.out == "Slack test OK: Slack: ok.\n"
    assert server.requests[-1].path == "/services/T000/B000/SECRETpath9z"
    _files_without(cli_dir, "SECRETpath9z")
    removed = run("channel", "remove", "slack")
    assert removed.code == 0 and "forgotten" in removed.out
    assert memory.passwords == {}
    failed = run("channel", "test", "slack")
    assert failed.code == 1 and failed.err.count("\n") == 1
    assert "Slack test failed: Slack is not set up" in failed.err


def test_webhook_reads_two_lines_and_email_takes_options(run, stdin, memory, cli_dir) -> None:  # type: ignore[no-untyped-def]
    stdin("https://hooks.example.com/in\nwhsec_c2VjcmV0LXNpZ25pbmcta2V5\n")
    assert run("channel", "set", "webhook").code == 0
    service = next(s for s, _k in memory.passwords)
    assert memory.passwords[(service, WEBHOOK_URL)] == "https://hooks.example.com/in"
    assert memory.passwords[(service, WEBHOOK_SECRET)] == "whsec_c2VjcmV0LXNpZ25pbmcta2V5"
    email = run(
        "channel",
        "set",
        "email",
        "--host",
        "127.0.0.1",
        "--port",
        "1",
        "--from",
        "ic@example.com",
        "--to",
        "a@example.com, b@example.com",
        "--keep-secrets",
    )
    assert email.code == 0, email.err
    listed = {c["channel"]: c for c in run("channel", "list", "--json").json()["channels"]}
    assert listed["email"]["configured"] and listed["email"]["settings"]["to"] == [
        "a@example.com",
        "b@example.com",
    ]
    assert listed["email"]["secrets"] == {"smtp.password": False}
    stdin("sp-key-SECRET11\n")
    page = run("channel", "set", "statuspage")
    assert page.code == 0 and "note: The status page is not set up: add its page id" in page.out
    stdin("")
    assert run("channel", "set", "statuspage", "--page-id", "pg1").code == 0  # key kept
    listed = {c["channel"]: c for c in run("channel", "list", "--json").json()["channels"]}
    assert listed["statuspage"]["configured"] and listed["statuspage"]["problem"] is None
    unreachable = run("channel", "test", "email")
    assert unreachable.code == 1 and unreachable.err.count("\n") == 1
    assert "Email test failed: Cannot reach the mail server 127.0.0.1:1" in unreachable.err


@pytest.mark.parametrize(
    ("args", "feed", "message"),
    [
        (("set", "slack", "--host", "x"), "", "--host is an option of Email, not Slack"),
        (("set", "slack"), "not-a-url\n", "not an http(s) URL; nothing was stored"),
        (("set", "slack"), "\n", "empty; nothing was stored"),
        (("set", "slack"), "https://x.example/\x1b[2J\n", "control characters"),
        (("set", "phone"), "", "has no settings"),
        (("set", "fax"), "", "Unknown channel"),
    ],
)
def test_bad_input_is_one_sentence_and_stores_nothing(  # type: ignore[no-untyped-def]
    run, stdin, memory, one_line_error, cli_dir, args, feed, message
) -> None:
    stdin(feed)
    one_line_error(run("channel", *args), contains=message)
    assert memory.passwords == {}
    assert not (cli_dir / "channels.json").exists()


def test_with_the_fail_backend_every_store_fails_and_nothing_is_kept(  # type: ignore[no-untyped-def]
    run, stdin, one_line_error, cli_dir
) -> None:
    # The suite's default backend is keyring's "fail" (tests/conftest.py): a headless box.
    stdin("https://hooks.slack.com/services/T/B/FAILsecret1\n")
    result = run("channel", "set", "slack")
    one_line_error(result, contains="No keyring can keep secrets here")
    assert "commander secrets use-file" in result.err and "Secret Service" in result.err
    assert not (cli_dir / "channels.json").exists() and not (cli_dir / "secrets.json").exists()
    stdin("FAILtoken2\n")
    token = run("alerts", "source", "add", "http://127.0.0.1:9093", "--token-stdin")
    one_line_error(token, contains="nothing was stored")
    assert run("alerts", "source", "list", "--json").json()["sources"] == []
    assert run("secrets", "--json").json()["store"] == "none"
    _files_without(cli_dir, "FAILsecret1")
    _files_without(cli_dir, "FAILtoken2")


def test_use_file_keeps_secrets_in_an_owner_only_file(run, stdin, cli_dir) -> None:  # type: ignore[no-untyped-def]
    chosen = run("secrets", "use-file")
    assert chosen.code == 0 and f"{cli_dir / 'secrets.json'} (mode 0600)" in chosen.out
    stdin("https://hooks.slack.com/services/T/B/FILEsecret3\n")
    saved = run("channel", "set", "slack")
    assert saved.code == 0, saved.err
    assert "owner-only file" in saved.out
    stdin("FILEtoken4\n")
    added = run("alerts", "source", "add", "http://127.0.0.1:9093", "--token-stdin")
    assert added.code == 0 and "token kept in the owner-only file" in added.out
    path = cli_dir / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli_dir.stat().st_mode) == 0o700
    kept = json.loads(path.read_text())["secrets"]
    assert kept["commander-alertmanager"] == {"http://127.0.0.1:9093": "FILEtoken4"}
    _files_without(cli_dir, "FILEsecret3", allowed=("secrets.json",))
    _files_without(cli_dir, "FILEtoken4", allowed=("secrets.json",))
    listed = run("channel", "list", "--json").json()
    assert listed["secrets_kept_in"]["store"] == "file"
    assert listed["channels"][0]["secrets"] == {SLACK_URL: True}


def test_a_plaintext_keyring_is_refused_until_accepted(  # type: ignore[no-untyped-def]
    run, stdin, one_line_error, cli_dir, tmp_path, monkeypatch
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    assert str(tmp_path) in backend.file_path  # XDG_DATA_HOME points into tmp_path
    keyring.set_keyring(backend)  # the autouse fixture restores the previous one
    warned = run("secrets")
    assert warned.out.startswith("warning: the keyring backend PlaintextKeyring keeps secrets")
    stdin("https://hooks.slack.com/services/T/B/PLAINsecret5\n")
    refused = run("channel", "set", "slack")
    one_line_error(refused, contains="keeps secrets in a plain file")
    assert "commander secrets use-keyring --allow-insecure" in refused.err
    assert not Path(backend.file_path).exists()
    accepted = run("secrets", "use-keyring", "--allow-insecure")
    assert accepted.code == 0 and "PlaintextKeyring, a plain file" in accepted.out
    url = "https://hooks.slack.com/services/T/B/PLAINsecret5"
    stdin(url + "\n")
    assert run("channel", "set", "slack").code == 0
    # keyrings.alt's "plaintext" is base64: readable by anyone who can read the file.
    assert base64.b64encode(url.encode()).decode() in Path(backend.file_path).read_text()
    _files_without(cli_dir, "PLAINsecret5")


def test_the_environment_variable_accepts_a_plaintext_keyring(  # type: ignore[no-untyped-def]
    run, stdin, monkeypatch
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())
    monkeypatch.setenv("COMMANDER_ALLOW_INSECURE_KEYRING", "1")
    stdin("https://hooks.slack.com/services/T/B/ENVsecret6\n")
    result = run("channel", "set", "slack")
    assert result.code == 0, result.err


def test_a_secret_kept_in_the_file_is_there_for_the_next_process(tmp_path: Path) -> None:
    """What a command says it kept outlives it (the in-memory fallback did not)."""
    import os
    import subprocess
    import sys

    binary = Path(sys.executable).with_name("commander")
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
    }
    ws = str(tmp_path / "ws")

    def commander(*args: str, secret: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(binary), "--data-dir", ws, *args],
            input=secret,  # secrets go through stdin, never argv
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    refused = commander("channel", "set", "slack", secret="https://x.example/PROCsecret8\n")
    assert refused.returncode == 1 and "use-file" in refused.stderr
    assert commander("secrets", "use-file").returncode == 0
    saved = commander("channel", "set", "slack", secret="https://x.example/PROCsecret8\n")
    assert saved.returncode == 0, saved.stderr
    listed = json.loads(commander("channel", "list", "--json").stdout)
    assert listed["channels"][0]["secrets"] == {SLACK_URL: True}
    assert "PROCsecret8" not in json.dumps(listed)
