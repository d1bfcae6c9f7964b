"""Shared fixtures: a fake clock and a fresh workspace per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import time_machine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COMMANDER_NO_WELCOME", "1")  # tests/ui/test_welcome.py turns it back on
# The CLI fits its tables to the terminal: pin the width, so the tests read the same output
# in a terminal, in a pipe and in a test worker whose stdout is neither.
os.environ["COLUMNS"] = "120"

from commander.core.clock import FakeClock
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

if TYPE_CHECKING:
    from commander.integrations.secrets import MemoryKeyring


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if f"{os.sep}tests{os.sep}ui{os.sep}" in str(item.fspath):
            item.add_marker(pytest.mark.gui)
        if f"{os.sep}tests{os.sep}sync{os.sep}" in str(item.fspath):
            item.add_marker(pytest.mark.real_clock)  # the server stamps with PostgreSQL's now()


# .ci/run runs the suite a second time with the wall clock a year ahead: a test that mixes the
# fixed clock below with the real date fails there, not on some day in the future.
SHIFT_DAYS = int(os.environ.get("COMMANDER_TEST_SHIFT_DAYS") or 0)


@pytest.fixture(autouse=True)
def _wall_clock_moved_ahead(request: pytest.FixtureRequest) -> Iterator[None]:
    """With COMMANDER_TEST_SHIFT_DAYS set, this process's wall clock runs that many days ahead.

    Tests marked ``real_clock`` compare with a clock outside this process (PostgreSQL's
    ``now()``, a subprocess, OpenSSL), which cannot be moved with it.
    """
    if not SHIFT_DAYS or request.node.get_closest_marker("real_clock"):
        yield
        return
    # real clock: the shift starts from today, whatever today is
    ahead = datetime.now(UTC) + timedelta(days=SHIFT_DAYS)
    with time_machine.travel(ahead, tick=True):
        yield


@pytest.fixture(autouse=True)
def _no_real_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reaches the user's keyring: keyring's ``fail`` backend (a headless box) unless
    the test installs its own; a plaintext backend, if a test makes one, writes in tmp_path."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("COMMANDER_ALLOW_INSECURE_KEYRING", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring in place of the ``fail`` one, for tests that keep a secret."""
    import keyring

    from commander.integrations.secrets import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def workspace(data_dir: Path, clock: FakeClock):
    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    yield ws
    ws.close()


@pytest.fixture
def incidents(workspace: Workspace) -> IncidentService:
    return IncidentService(workspace)
