"""cli/common.py's handler decorators: a refused argument is refused before the workspace is
opened, so it leaves no workspace behind; a handler gets the workspace its options name."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from commander.cli.common import with_workspace
from commander.services.workspace import Workspace
from commander.storage.database import DB_FILENAME


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["search", "api", "--limit", "0"], "--limit must be 1 or more."),
        (["log", "INC-1", "text", "--at", "noon"], "is not an ISO-8601 time"),
        (["review", "schedule", "INC-1"], "Give the review time"),
    ],
)
def test_refused_arguments_create_no_workspace(
    run, cli_dir: Path, argv: list[str], sentence: str
) -> None:
    result = run(*argv)
    assert result.code == 1
    assert sentence in result.err
    assert not (cli_dir / DB_FILENAME).exists()


def test_with_workspace_hands_the_handler_the_workspace_of_the_data_dir(tmp_path: Path) -> None:
    seen: list[Workspace] = []

    @with_workspace
    def handler(args: argparse.Namespace, ws: Workspace) -> int:
        seen.append(ws)
        return 7 if ws.data_dir == tmp_path else 0

    args = argparse.Namespace(data_dir=str(tmp_path), author="tester")
    assert handler(args) == 7
    assert (tmp_path / DB_FILENAME).exists()
    assert handler.__name__ == "handler"
    assert len(seen) == 1
