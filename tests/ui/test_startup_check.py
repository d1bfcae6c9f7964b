"""The workspace file's quick_check no longer holds the window back: it starts once the window
has painted, on a worker, and damage it finds is still reported and offered for repair."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from commander.app import build_main_window
from commander.services.incidents import IncidentService
from commander.services.recovery import check_workspace
from commander.storage.database import DB_FILENAME
from commander.ui.shell.workspace_health import StartupCheck
from tests.services.damage import build_workspace, damage_page, op_rows

ROOT = Path(__file__).resolve().parents[2]


def test_the_check_starts_after_the_first_paint(qtbot, workspace, data_dir) -> None:
    IncidentService(workspace).declare(title="API down", severity="P1")
    window = build_main_window(workspace)
    qtbot.addWidget(window)
    check = StartupCheck(window, data_dir)
    qtbot.wait(50)  # event-loop turns before the window is shown start nothing
    assert not check.started
    window.show()
    qtbot.waitUntil(lambda: check.started, timeout=5_000)
    assert window.startup.painted  # the paint came first
    qtbot.waitUntil(lambda: check.problems is not None, timeout=10_000)
    assert check.problems == []


def test_the_check_waits_until_the_window_is_idle(qtbot, data_dir, workspace) -> None:
    """The timeline's load is not slowed by a check reading the whole file beside it."""
    busy = [True]
    widget = QWidget()
    qtbot.addWidget(widget)
    check = StartupCheck(widget, data_dir, idle=lambda: not busy[0])
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(200)
    assert not check.started
    busy[0] = False
    qtbot.waitUntil(lambda: check.problems == [], timeout=10_000)


def test_the_check_reports_a_damaged_file(qtbot, data_dir, clock) -> None:
    build_workspace(data_dir, clock)
    damage_page(data_dir / DB_FILENAME, "entry")
    widget = QWidget()
    qtbot.addWidget(widget)
    check = StartupCheck(widget, data_dir)
    with qtbot.waitSignal(check.sig_done, timeout=10_000) as done:
        widget.show()
    assert done.args[0] and any("malformed" in p or "Page" in p for p in done.args[0])


START_OVER_DAMAGE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from commander.app import qt_application, run_gui
from commander.ui.shell.damaged_workspace import DamagedWorkspaceDialog
from commander.ui.shell.main_window import MainWindow

app = qt_application()
seen = []

def watch():
    shown = [w for w in app.topLevelWidgets() if w.isVisible()]
    if "window" not in seen and any(isinstance(w, MainWindow) for w in shown):
        seen.append("window")
    dialog = next((w for w in shown if isinstance(w, DamagedWorkspaceDialog)), None)
    if dialog is None:
        QTimer.singleShot(5, watch)
        return
    windows = [w for w in shown if isinstance(w, MainWindow)]
    seen.append("dialog" + (" over an open window" if windows else ""))
    print(" then ".join(seen), flush=True)
    dialog.quit_button.click()

QTimer.singleShot(0, watch)
sys.exit(run_gui(Path(sys.argv[1]), "alice"))
"""


@pytest.mark.slow
@pytest.mark.parametrize("table", ["op", "entry"])
def test_a_damaged_workspace_is_still_refused_after_the_window_painted(
    tmp_path, clock, table
) -> None:  # type: ignore[no-untyped-def]
    """The real start-up path in its own process: the window shows first, the check finds the
    damage, the window closes and the damage dialog offers recovery; Quit exits 1 and leaves
    the file as it was."""
    data_dir = tmp_path / "ws"
    build_workspace(data_dir, clock)
    damage_page(data_dir / DB_FILENAME, table)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env["COMMANDER_NO_WELCOME"] = "1"
    run = subprocess.run(
        [sys.executable, "-c", START_OVER_DAMAGE, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.split("\n")[0] == "window then dialog"
    assert check_workspace(data_dir).problems  # still the damaged file: no recovery ran


RECOVER_AND_REOPEN = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from commander.app import qt_application, run_gui
from commander.ui.shell.damaged_workspace import DamagedWorkspaceDialog
from commander.ui.shell.main_window import MainWindow

app = qt_application()
windows = set()

def watch():
    shown = [w for w in app.topLevelWidgets() if w.isVisible()]
    windows.update(id(w) for w in shown if isinstance(w, MainWindow))
    dialog = next((w for w in shown if isinstance(w, DamagedWorkspaceDialog)), None)
    if dialog is not None and dialog.recover_button.isEnabled():
        dialog.recover_button.click()
    if len(windows) == 2:  # the first window, then the one over the recovered workspace
        print("reopened", flush=True)
        for widget in shown:
            widget.close()
        return
    QTimer.singleShot(10, watch)

QTimer.singleShot(0, watch)
sys.exit(run_gui(Path(sys.argv[1]), "alice"))
"""


@pytest.mark.slow
def test_after_recovery_the_window_opens_again(tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    data_dir = tmp_path / "ws"
    before = build_workspace(data_dir, clock)
    damage_page(data_dir / DB_FILENAME, "entry")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env["COMMANDER_NO_WELCOME"] = "1"
    run = subprocess.run(
        [sys.executable, "-c", RECOVER_AND_REOPEN, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["reopened"]
    assert check_workspace(data_dir).ok
    assert set(before.values()) <= set(op_rows(data_dir).values())  # every op kept
