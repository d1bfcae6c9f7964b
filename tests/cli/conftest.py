"""CLI fixtures: every test gets its own workspace folder, never the user's real one."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from commander.cli import main


class Result(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMANDER_DATA_DIR", str(tmp_path / "env-default"))
    monkeypatch.setenv("COMMANDER_AUTHOR", "tester")
    monkeypatch.delenv("COMMANDER_DEBUG", raising=False)


@pytest.fixture
def cli_dir(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], cli_dir: Path) -> Run:
    """``run("incident", "list")``: main() on a temporary --data-dir, output captured."""

    def _run(*args: str, data_dir: Path | None = cli_dir) -> Result:
        argv = (["--data-dir", str(data_dir)] if data_dir is not None else []) + list(args)
        code = main(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def declare(run: Run) -> Callable[..., dict[str, Any]]:
    def _declare(title: str = "API down", severity: str = "P1", *extra: str) -> dict[str, Any]:
        result = run("incident", "new", "--title", title, "--severity", severity, "--json", *extra)
        assert result.code == 0, result.err
        return result.json()

    return _declare


def _assert_one_line_error(result: Result, *, code: int = 1, contains: str = "") -> None:
    assert result.code == code
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("commander: error: ")
    assert "Traceback" not in result.err
    assert contains.lower() in lines[0].lower()
    assert result.out == ""


@pytest.fixture
def one_line_error() -> Callable[..., None]:
    """The CLI's promise: a non-zero exit, one stderr line, no traceback, nothing on stdout."""
    return _assert_one_line_error


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many generated inputs the fuzz suite (test_cli_fuzz.py) tried, when it ran."""
    fuzz = sys.modules.get("tests.cli.fuzz_inputs")
    stats = getattr(fuzz, "FUZZ_STATS", None)
    if stats is not None and stats.tried:
        terminalreporter.write_line(stats.summary())
