"""``commander display``: options checked before any window opens, then handed to the app."""

from __future__ import annotations

from typing import Any

import pytest

import commander.app


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run_display(data_dir, author, **kwargs) -> int:  # type: ignore[no-untyped-def]
        calls.append({"data_dir": data_dir, "author": author, **kwargs})
        return 0

    monkeypatch.setattr(commander.app, "run_display", fake_run_display)
    return calls


def test_local_display_resolves_the_incident_first(run, declare, started, cli_dir) -> None:  # type: ignore[no-untyped-def]
    incident = declare("API down", "P1")
    result = run(
        "display", "--incident", incident["ref"][:12], "--screen", "1", "--rotate", "30",
        "--chart-hours", "12",
    )  # fmt: skip
    assert result.code == 0, result.err
    (call,) = started
    assert call["incident"] == incident["id"] and call["chart_hours"] == 12.0
    assert (call["screen"], call["rotate_s"], call["fullscreen"]) == (1, 30.0, True)
    assert call["server"] is None and call["data_dir"] == cli_dir


def test_server_display_takes_the_password_from_the_url(run, started) -> None:  # type: ignore[no-untyped-def]
    url = "postgresql+psycopg://wall:s3cret@db.example.org:5432/commander"
    result = run("display", "--server", url, "--windowed")
    assert result.code == 0, result.err
    (call,) = started
    assert call["server"] == url and call["password"] == "s3cret"
    assert call["fullscreen"] is False


def test_peer_display_is_handed_the_address(run, started) -> None:  # type: ignore[no-untyped-def]
    result = run("display", "--peer", "127.0.0.1:7455")
    assert result.code == 0, result.err
    (call,) = started
    assert call["peer"] == ("127.0.0.1", 7455) and call["server"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--incident", "INC-NOPE"), "No incident matches"),
        (("--rotate", "1"), "at least 3 seconds"),
        (("--screen", "-1"), "numbered from 0"),
        (("--chart-hours", "0"), "between 0.25"),
        (("--server", "mysql://x@y/z"), "is not PostgreSQL"),
        (("--peer", "laptop"), "is not HOST:PORT"),
        (("--peer", "127.0.0.1:7455", "--server", "postgresql://w@h/c"), "not both"),
    ],
)
def test_bad_options_are_one_line_errors(run, started, one_line_error, args, message) -> None:  # type: ignore[no-untyped-def]
    one_line_error(run("display", *args), contains=message)
    assert started == []
