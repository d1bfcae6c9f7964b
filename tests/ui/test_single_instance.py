"""One window per workspace: a second start hands over to the first, across real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.single_instance import (
    LOCK_FILENAME,
    InstanceGuard,
    bring_to_front,
    server_name,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def commander(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """``python -m commander`` from this checkout, offscreen, without the welcome."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "COMMANDER_NO_WELCOME": "1",
        "COMMANDER_AUTHOR": "tester",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "commander", "--data-dir", str(data_dir), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_names_differ_per_workspace_and_are_stable(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")


@pytest.mark.qt_log_ignore(  # offscreen has no window manager to raise or size windows
    r"This plugin does not support (raise|propagateSizeHints)"
)
def test_second_process_brings_this_window_forward_and_exits(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    guard = InstanceGuard(workspace.data_dir)
    assert guard.claim()
    assert guard.listen()
    handed: list[list[str]] = []
    guard.sig_activate.connect(handed.append)
    guard.sig_activate.connect(lambda _argv: bring_to_front(window))
    window.showMinimized()
    try:
        second = commander(workspace.data_dir, "gui")
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)  # we keep answering
        _out, err = second.communicate()
    finally:
        guard.release()
    assert second.returncode == 0, err
    assert "already open" in err and "front" in err
    assert handed == [["--data-dir", str(workspace.data_dir), "gui"]]
    assert not window.isMinimized()


def test_real_processes_handoff_then_crash_recovery(tmp_path: Path) -> None:
    data_dir = tmp_path / "ws"
    first = commander(data_dir)
    try:
        deadline = time.monotonic() + 30
        while not (data_dir / LOCK_FILENAME).exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first window never started"
            time.sleep(0.05)
        second = commander(data_dir)
        _out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert "brought its window to the front" in err
        assert first.poll() is None  # the first window is still running
        other = commander(
            tmp_path / "other", "gui", "--smoke-test"
        )  # another workspace: own window
        assert other.wait(timeout=30) == 0
    finally:
        first.send_signal(signal.SIGKILL)  # a crash: the lock file and socket stay behind
        first.communicate()
    assert (data_dir / LOCK_FILENAME).exists()
    third = commander(data_dir, "gui", "--smoke-test")
    _out, err = third.communicate(timeout=30)
    assert third.returncode == 0, err  # the stale lock and socket did not lock us out
    assert "already open" not in err


def test_a_folder_that_cannot_be_locked_is_not_another_window(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    guard = InstanceGuard(not_a_folder)
    assert guard.claim()  # go on: opening the workspace reports the real problem
    assert not guard.listen()  # but never take over another process's socket name
