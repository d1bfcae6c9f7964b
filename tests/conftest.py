"""Shared fixtures: a fake clock and a fresh workspace per test."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COMMANDER_NO_WELCOME", "1")  # tests/ui/test_welcome.py turns it back on

from commander.core.clock import FakeClock
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if f"{os.sep}tests{os.sep}ui{os.sep}" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


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
