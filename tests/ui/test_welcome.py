"""First-run welcome: shown once per workspace, skippable, demo and identity work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commander.config import load_identity, load_welcomed, resolve_author
from commander.services.demo.story import DEMO_INCIDENT_ID
from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.welcome import ENV_NO_WELCOME, WelcomeDialog, needs_welcome, show_welcome

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _welcome_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_NO_WELCOME, raising=False)
    monkeypatch.delenv("COMMANDER_AUTHOR", raising=False)


def open_welcome(qtbot, window: MainWindow, workspace: Workspace) -> WelcomeDialog:  # type: ignore[no-untyped-def]
    assert needs_welcome(workspace.data_dir, has_incidents=False)
    dialog = show_welcome(window, workspace)
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()  # never blocks the window behind it
    return dialog


def test_skip_marks_it_seen_and_keeps_the_author(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_welcome(qtbot, window, workspace)
    assert dialog.name_edit.text() == "alice"
    dialog.name_edit.setText("Somebody Else")
    dialog.skip_button.click()
    assert not dialog.isVisible()
    assert load_welcomed(workspace.data_dir)
    assert load_identity(workspace.data_dir).author == ""
    assert workspace.author == "alice"
    assert not needs_welcome(workspace.data_dir, has_incidents=False)  # shown once


def test_closing_it_any_way_counts_as_seen(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_welcome(qtbot, window, workspace)
    dialog.close()
    assert load_welcomed(workspace.data_dir)


def test_name_is_saved_as_author_for_this_and_later_sessions(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_welcome(qtbot, window, workspace)
    dialog.name_edit.setText("  Dana Okafor ")
    dialog.handle_edit.setText("dana okafor")  # a space: refused inline, the form stays
    dialog.start_button.click()
    assert dialog.isVisible() and "Handle" in dialog.error_label.text()
    assert not load_welcomed(workspace.data_dir)
    dialog.handle_edit.setText("@dokafor")
    dialog.start_button.click()
    assert not dialog.isVisible()
    assert workspace.author == "dokafor"
    assert window.author_label.text() == "Author: dokafor"
    saved = load_identity(workspace.data_dir)
    assert (saved.name, saved.handle) == ("Dana Okafor", "dokafor")
    assert resolve_author(None, workspace.data_dir) == "dokafor"
    assert resolve_author("cli-name", workspace.data_dir) == "cli-name"  # --author still wins


def test_opens_centred_over_the_window(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_welcome(qtbot, window, workspace)
    offset = dialog.frameGeometry().center() - window.frameGeometry().center()
    assert abs(offset.x()) <= 2 and abs(offset.y()) <= 2


def test_demo_choice_loads_and_shows_the_demo(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_welcome(qtbot, window, workspace)
    dialog.name_edit.setText("Dana Okafor")  # typed, then the demo before Start
    dialog.handle_edit.setText("bad handle")
    dialog.demo_button.click()
    assert "Handle" in dialog.error_label.text() and window.current_incident() is None
    dialog.handle_edit.setText("dokafor")
    dialog.demo_button.click()
    assert window.current_incident() is not None
    assert window.current_incident().id == DEMO_INCIDENT_ID
    assert workspace.author == "dokafor" and load_identity(workspace.data_dir).name == "Dana Okafor"
    authors = {e.author for e in window._service.timeline(DEMO_INCIDENT_ID)}
    assert authors == {"dokafor"}  # not the login the window started with
    assert not dialog.demo_button.isEnabled()
    assert dialog.isVisible()  # the name can still be set afterwards


def test_connect_choice_opens_the_sync_dialog(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_welcome(qtbot, window, workspace)
    dialog.connect_button.click()
    assert not dialog.isVisible()
    assert window.sync_ui.dialog is not None and window.sync_ui.dialog.isVisible()
    assert load_welcomed(workspace.data_dir)


def test_not_shown_for_a_workspace_in_use_or_when_disabled(workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert not needs_welcome(workspace.data_dir, has_incidents=True)
    assert load_welcomed(workspace.data_dir)  # remembered: no welcome later either
    other = workspace.data_dir.parent / "other"
    monkeypatch.setenv(ENV_NO_WELCOME, "1")
    assert not needs_welcome(other, has_incidents=False)


def test_every_control_has_an_accessible_name(qtbot, window, workspace) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.a11y import unnamed_controls

    dialog = open_welcome(qtbot, window, workspace)
    assert unnamed_controls(dialog) == []


FIRST_START = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from commander.app import qt_application, run_gui
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.welcome import WelcomeDialog

app = qt_application()

def look_and_quit():
    shown = [w for w in app.topLevelWidgets() if w.isVisible()]
    print("window" if any(isinstance(w, MainWindow) for w in shown) else "no window")
    print("welcome" if any(isinstance(w, WelcomeDialog) for w in shown) else "no welcome")
    for widget in shown:
        widget.close()
    app.quit()

QTimer.singleShot(300, look_and_quit)
sys.exit(run_gui(Path(sys.argv[1]), "alice"))
"""


@pytest.mark.slow
def test_run_gui_shows_it_on_the_first_start_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real start-up path, in its own process (an event loop run here would end the test
    session's): the welcome appears beside the window once, then never."""
    env = {k: v for k, v in os.environ.items() if k != ENV_NO_WELCOME}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # the window's QSettings
    data_dir = tmp_path / "ws"
    outputs = []
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-c", FIRST_START, str(data_dir)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout.split())
    assert outputs == [["window", "welcome"], ["window", "no", "welcome"]]
    assert load_welcomed(data_dir)
