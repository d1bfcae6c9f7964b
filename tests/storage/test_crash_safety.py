"""An entry whose ``log`` returned survives SIGKILL of the process that wrote it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC
from pathlib import Path

import pytest

from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace

pytestmark = pytest.mark.slow

CHILD = """
import sys
from pathlib import Path
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

service = IncidentService(Workspace.open(Path(sys.argv[1]), author="child"))
incident = service.declare(title="Crash test", severity="P1").incident
print("incident", incident.id, flush=True)
n = 0
while True:
    entry, _ = service.log(incident.id, f"entry {n}")
    print(entry.id, flush=True)  # only after log() returned: the promise under test
    n += 1
"""

WANTED = 25


def test_sigkill_loses_no_acknowledged_entry(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(20, child.kill)  # a hung child must not hang the suite
    watchdog.start()
    try:
        assert child.stdout is not None
        first = child.stdout.readline().split()
        assert first[:1] == ["incident"], child.stderr.read() if child.stderr else ""
        incident_id = first[1]
        acknowledged = []
        while len(acknowledged) < WANTED:
            line = child.stdout.readline()
            assert line, "child stopped early"
            acknowledged.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        # Lines already in the pipe were printed after their log() returned: they count too.
        acknowledged += [line.strip() for line in child.stdout if line.strip()]
    finally:
        watchdog.cancel()
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL

    workspace = Workspace.open(tmp_path, author="parent", zone=UTC)
    try:
        stored = {e.id for e in IncidentService(workspace).timeline(incident_id)}
        missing = [entry_id for entry_id in acknowledged if entry_id not in stored]
        assert missing == []
        report = verify_workspace(workspace)
        assert report.ok, report.to_json()
    finally:
        workspace.close()
