"""The installed ``commander`` entry point, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).with_name("commander")


def _commander(*args: str, env_dir: Path, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "COMMANDER_DATA_DIR": str(env_dir), "COMMANDER_AUTHOR": "proc"}
    return subprocess.run(
        [str(BIN), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kwargs,
    )


def test_entry_point_round_trip_with_json(tmp_path: Path) -> None:
    assert BIN.exists(), BIN
    new = _commander(
        "incident", "new", "--title", "Cert expired", "--severity", "P1", "--json", env_dir=tmp_path
    )
    assert new.returncode == 0, new.stderr
    record = json.loads(new.stdout)
    logged = _commander(
        "log", record["ref"][:-1], "renewal job started", "--json", env_dir=tmp_path
    )
    assert logged.returncode == 0, logged.stderr
    entry = json.loads(logged.stdout)
    shown = json.loads(_commander("show", record["id"], "--json", env_dir=tmp_path).stdout)
    assert shown["timeline"][-1]["id"] == entry["id"]
    assert shown["timeline"][-1]["author"] == "proc"


def test_errors_in_a_real_process_have_no_traceback(tmp_path: Path) -> None:
    bad = _commander("incident", "new", "--title", "T", "--severity", "P9", env_dir=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "commander: error: Unknown severity 'P9': use P0, P1, P2 or P3."
    ]
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "workspace.sqlite3").write_bytes(b"garbage" * 100)
    refused = _commander("incident", "list", "--json", env_dir=corrupt)
    assert refused.returncode == 1
    assert len(refused.stderr.splitlines()) == 1 and "Traceback" not in refused.stderr
    assert refused.stdout == ""


def test_closed_stdout_is_quiet(tmp_path: Path) -> None:
    assert _commander("demo", env_dir=tmp_path).returncode == 0
    env = {**os.environ, "COMMANDER_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [str(BIN), "show", "INC"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away before the first line, like `| head -0`
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert stderr == b""


def test_importing_the_cli_loads_no_qt_matplotlib_or_alembic() -> None:
    code = (
        "import sys, commander.cli\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'matplotlib', 'alembic')]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
