"""The review and the alerts dock are built after the window's first paint, and work then."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from commander.app import build_main_window
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace


def test_window_paints_before_the_deferred_parts_are_built(
    qtbot, workspace: Workspace, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    IncidentService(workspace).declare(title="Payments down", severity="P1")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = build_main_window(workspace, settings)
    win.poll_timer.stop()
    qtbot.addWidget(win)
    assert not win.startup.is_built("review") and not win.startup.is_built("monitoring")
    win.show()
    qtbot.waitUntil(lambda: win.startup.painted)
    qtbot.waitUntil(lambda: win.startup.done)
    tabs = win.review.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Timeline", "Review"]
    tabs.setCurrentIndex(1)
    assert win.review.panel.isVisible()
    menus = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert menus.index("Review") < menus.index("Help")
    assert "Alerts" in menus


def test_asking_for_a_deferred_part_builds_it_at_once(
    qtbot, workspace: Workspace, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = build_main_window(workspace, settings)
    qtbot.addWidget(win)
    assert win.monitoring.alert_model.rowCount() == 0  # built on access, before the loop ran
    assert win.startup.is_built("review")  # built first: the menus keep their order
