"""A workspace the CLI must not touch: corrupt, from a newer Commander, or impossible to create."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

DB = "workspace.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


COMMANDS = [
    ["incident", "list"],
    ["incident", "new", "--title", "T", "--severity", "P1"],
    ["show", "INC"],
    ["log", "INC", "text"],
    ["demo"],
    ["verify"],
]


@pytest.mark.parametrize("args", COMMANDS)
def test_garbage_file_is_refused_and_left_byte_for_byte(run, cli_dir, one_line_error, args) -> None:
    cli_dir.mkdir()
    path = cli_dir / DB
    path.write_bytes(b"\x00\xffnot a database at all\x13" * 500)
    before = _digest(path)
    one_line_error(run(*args), contains="not a Commander workspace")
    assert _digest(path) == before
    assert sorted(p.name for p in cli_dir.iterdir()) == [DB]


def test_sqlite_header_with_damaged_body_is_refused_and_unchanged(
    run, cli_dir, declare, one_line_error
) -> None:
    declare()
    path = cli_dir / DB
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xde\xad" * ((4096 - 100) // 2)  # keep the magic, wreck the schema
    path.write_bytes(bytes(data))
    for name in ("workspace.sqlite3-wal", "workspace.sqlite3-shm"):
        (cli_dir / name).unlink(missing_ok=True)
    before = _digest(path)
    result = run("incident", "list")
    one_line_error(result)
    assert _digest(path) == before


def test_newer_schema_is_refused_and_unchanged(run, cli_dir, declare, one_line_error) -> None:
    declare()
    path = cli_dir / DB
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(path)
    for args in COMMANDS:
        one_line_error(run(*args), contains="newer version")
    assert _digest(path) == before
    assert not list(cli_dir.glob("*.bak"))


def test_data_dir_that_cannot_be_created(run, one_line_error) -> None:
    result = run("incident", "list", data_dir=Path("/proc/self/nonexistent/commander"))
    one_line_error(result, contains="/proc/self/nonexistent/commander cannot be written")


def test_data_dir_that_is_a_file(run, tmp_path, one_line_error) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    one_line_error(run("incident", "list", data_dir=blocker), contains="cannot be written")
    assert blocker.read_text() == "not a folder"
