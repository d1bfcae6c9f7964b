"""``commander slack``: the token from stdin (never argv), connect, pull, status, and errors
in one line, against the Slack Web API on 127.0.0.1."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest

from commander.core.clock import parse_iso
from tests.integrations.slack_server import TOKEN, FakeSlack

CHANNEL = "C0INCID3NT"


@pytest.fixture(autouse=True)
def _memory_keyring():  # type: ignore[no-untyped-def]
    import keyring

    from commander.integrations.secrets import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.channels[CHANNEL] = []
    yield server
    server.close()


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_token_connect_pull_and_status(run, declare, slack, monkeypatch, _memory_keyring) -> None:
    incident = declare("Checkout errors")
    declared = parse_iso(incident["declared_at"])
    slack.post(
        CHANNEL, "U061F7AUR", "Rolled back", declared - timedelta(minutes=1), reactions=("pushpin",)
    )
    newest = slack.post(CHANNEL, "U0G9QF9C6", "ok", declared - timedelta(seconds=30))
    stdin(monkeypatch, TOKEN + "\n")

    token = run("slack", "token")
    assert token.code == 0, token.err
    assert TOKEN not in token.out
    assert TOKEN in _memory_keyring.passwords.values()
    connected = run("slack", "connect", incident["ref"], CHANNEL, "--api-url", slack.url)
    assert connected.code == 0, connected.err
    assert "messages marked :pushpin:" in connected.out

    pulled = run("slack", "pull", incident["ref"], "--json")
    assert pulled.code == 0, pulled.err
    assert pulled.json()["logged"] == 1
    assert run("slack", "pull", incident["ref"]).out.startswith("Slack: 0 logged")
    shown = run("show", incident["ref"], "--json").json()
    texts = [e["event"] for e in shown["timeline"]]
    assert "Rolled back" in texts and "ok" not in texts
    status = run("slack", "status", incident["ref"], "--json").json()
    assert (status["channel"], status["newest_ts"], status["logged"]) == (CHANNEL, newest, 1)
    assert "Logged from this laptop: 1" in run("slack", "status", incident["ref"]).out


def test_errors_are_one_line(run, declare, slack, monkeypatch, one_line_error) -> None:
    incident = declare()
    stdin(monkeypatch, "not-a-token\n")
    one_line_error(run("slack", "token"), contains="not a Slack token")
    one_line_error(run("slack", "pull", incident["ref"]), contains="not connected")
    one_line_error(
        run("slack", "connect", incident["ref"], "#incident-42"), contains="not a Slack channel id"
    )
    one_line_error(
        run("slack", "connect", incident["ref"], CHANNEL, "--reaction", "📌"),
        contains="not a Slack reaction name",
    )
    assert (
        run("slack", "connect", incident["ref"], CHANNEL, "--all", "--api-url", slack.url).code == 0
    )
    failed = run("slack", "pull", incident["ref"])
    assert failed.code == 1
    assert "No Slack bot token here" in failed.out
    assert run("slack", "disconnect", incident["ref"]).code == 0
    one_line_error(run("slack", "status", incident["ref"]), contains="not connected")
