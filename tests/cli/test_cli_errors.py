"""Bad input: one line on stderr, a non-zero exit, and the stored record untouched."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.services.incidents import IncidentService

MEGABYTE = "x" * (1024 * 1024)


def _op_count(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "workspace.sqlite3")
    try:
        return conn.execute("SELECT count(*) FROM op").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def stored(run, declare, cli_dir):
    """An incident with one note, and a check that nothing about it changed."""
    record = declare("Stable record", "P2")
    assert run("log", record["id"], "a note").code == 0
    before = run("show", record["id"], "--json").out
    ops_before = _op_count(cli_dir)

    def unchanged() -> None:
        assert _op_count(cli_dir) == ops_before
        assert run("show", record["id"], "--json").out == before

    return record, unchanged


def _future() -> str:
    # real clock: the CLI refuses times after its system clock
    return (datetime.now(UTC) + timedelta(minutes=30)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "{id}", "text", "--at", "yesterday-ish"], "not an ISO-8601 time"),
        (["log", "{id}", "text", "--at", "2026-13-45T99:00"], "not an ISO-8601 time"),
        (["log", "{id}", "text", "--at", "{future}"], "in the future"),
        (["log", "{id}", ""], "must not be empty"),
        (["log", "{id}", "bad \x1b[31m escape"], "control character"),
        (["log", "{id}", "ok", "--owner", "tab\there"], "control character"),
        (["log", "{id}", MEGABYTE], "limit"),
        (["incident", "set", "{id}", "severity", "P7"], "Unknown severity"),
        (["incident", "set", "{id}", "status", "sleeping"], "Unknown status"),
        (["incident", "set", "{id}", "colour", "red"], "Unknown field"),
        (["incident", "set", "{id}", "title", "   "], "must not be empty"),
        (["incident", "set", "{id}", "title", MEGABYTE], "limit"),
        (["incident", "set", "{id}", "title", "bell\x07"], "control character"),
        (["incident", "new", "--title", "T", "--severity", "P9"], "Unknown severity"),
        (["incident", "new", "--title", "", "--severity", "P1"], "must not be empty"),
        (["incident", "new", "--title", "a\x00b", "--severity", "P1"], "control character"),
        (["incident", "new", "--title", MEGABYTE, "--severity", "P1"], "limit"),
        (
            ["incident", "new", "--title", "T", "--severity", "P1", "--service", "a\x1bb"],
            "control character",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    run, stored, one_line_error, args, message
) -> None:
    record, unchanged = stored
    argv = [a.format(id=record["ref"], future=_future()) if "{" in a else a for a in args]
    one_line_error(run(*argv), contains=message)
    unchanged()


def test_future_within_tolerance_is_accepted(run, declare) -> None:
    record = declare()
    # real clock: the CLI's tolerance is measured from its system clock
    soon = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    assert run("log", record["id"], "clock skew", "--at", soon).code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["incident", "new", "--severity", "P1"],  # missing --title
        ["log"],
        ["frobnicate"],
        ["show"],
        ["--data-dir"],
    ],
)
def test_usage_errors_exit_2_with_one_line(run, one_line_error, args) -> None:
    one_line_error(run(*args, data_dir=None), code=2)


def test_incident_without_action(run, one_line_error) -> None:
    one_line_error(run("incident"), contains="name an action")


def test_unexpected_sqlite_error_is_one_line(run, declare, monkeypatch, one_line_error) -> None:
    declare()

    def boom(self):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(IncidentService, "list", boom)
    one_line_error(run("incident", "list"), contains="disk I/O error")


def test_unexpected_os_error_is_one_line(run, declare, monkeypatch, one_line_error) -> None:
    declare()

    def boom(self):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", "/somewhere/workspace.sqlite3")

    monkeypatch.setattr(IncidentService, "list", boom)
    one_line_error(run("incident", "list"), contains="Permission denied (/somewhere")


def test_unexpected_bug_is_one_line_without_traceback(run, monkeypatch, one_line_error) -> None:
    def boom(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("something odd")

    monkeypatch.setattr(IncidentService, "list", boom)
    one_line_error(run("incident", "list"), contains="unexpected RuntimeError: something odd")


def test_keyboard_interrupt_exits_130(run, monkeypatch) -> None:
    def interrupted(self):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(IncidentService, "list", interrupted)
    result = run("incident", "list")
    assert result.code == 130
    assert "Traceback" not in result.err


def test_broken_pipe_is_quiet(run, declare, monkeypatch) -> None:
    declare()

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    result = run("incident", "list")
    assert result.code == 141
    assert result.err == ""
