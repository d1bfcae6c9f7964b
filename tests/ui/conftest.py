"""UI fixtures: a main window over the test workspace, with settings kept in a temp file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from commander.app import build_main_window
from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def _charts_preloaded() -> None:
    """Import matplotlib once, up front: the app loads it on a worker after start-up, which
    would make every test's timing depend on a 0.6 s import in the background."""
    from commander.ui.features.charts import charts_panel

    charts_panel.import_charts()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, workspace: Workspace, settings: QSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    win = build_main_window(workspace, settings)
    win.poll_timer.stop()  # tests drive refresh() themselves: no timing flakiness
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    # as a user finds it: the idle parts built too (generous: a loaded CI machine is slow)
    qtbot.waitUntil(lambda: win.startup.done, timeout=20_000)
    return win


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Ignore the offscreen platform's note that it cannot pass size hints to a window manager."""
    marker = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(marker)
