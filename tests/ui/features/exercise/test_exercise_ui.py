"""An exercise in the window: EXERCISE in the title bar, the status bar and the war-room
display (visible in a 1280x800 screenshot, not clipped); the injects arrive while the window
is open; Help → Start an exercise… makes one and opens it in a new process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from commander.app import build_main_window
from commander.core.clock import FakeClock
from commander.core.scenario_file import builtin_text
from commander.services.exercise.replay import start_exercise
from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow

MAGENTA = QColor("#a4006c")


@pytest.fixture
def exercise_ws(tmp_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    ws = start_exercise(
        tmp_path / "real",
        builtin_text("certificate-expiry"),
        "certificate-expiry",
        speed=60,
        author="trainee",
        clock=clock,
        zone=UTC,
    )
    yield ws
    ws.close()


@pytest.fixture
def exercise_window(qtbot, exercise_ws: Workspace, settings: QSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    win = build_main_window(exercise_ws, settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.startup.done)
    return win


def _marked(image: QImage, area: QRect) -> bool:
    """The marking's colour fills most of ``area`` in the picture."""
    hits = total = 0
    for x in range(area.left() + 2, area.right() - 2, 4):
        for y in range(area.top() + 2, area.bottom() - 1, 2):
            total += 1
            hits += image.pixelColor(x, y) == MAGENTA
    return total > 0 and hits > total // 2


def _area_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def test_the_window_says_exercise_and_the_injects_arrive(
    qtbot, exercise_window: MainWindow, clock: FakeClock, tmp_path: Path
) -> None:
    win = exercise_window
    ui = win.exercise_ui
    assert ui is not None
    assert win.windowTitle().startswith("EXERCISE — INC-")
    label = ui.label
    assert label.text() == "EXERCISE — Certificate expiry on the customer API at 60x"
    assert label.isVisible() and label.width() >= label.sizeHint().width()  # not clipped
    area = _area_in(label, win)
    assert QRect(0, 0, 1280, 800).contains(area)
    assert not win.sync_ui.action_connect.isEnabled()

    qtbot.waitUntil(lambda: win.timeline_model.rowCount() >= 2)  # declared, alert fired
    clock.advance(10)  # ten exercise minutes at 60x
    events = lambda: [  # noqa: E731
        win.timeline_model.entry_at(r).event for r in range(win.timeline_model.rowCount())
    ]
    qtbot.waitUntil(lambda: any("Message from Northwind Bank" in e for e in events()), timeout=5000)
    assert "Impact: Error rate 38 % at 10:02" in events()  # stamped when it fell due
    assert "message from" in win.statusBar().currentMessage() or ui.replay.applied_count() == 5

    shot = tmp_path / "exercise-window.png"
    assert win.grab().save(str(shot))
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    assert _marked(image, area)

    ui.action_end.trigger()  # Help → End the exercise and show the debrief…
    qtbot.waitUntil(lambda: ui.debrief_dialog is not None, timeout=5000)
    box = ui.debrief_dialog
    assert box.text() == "Exercise debrief: Certificate expiry on the customer API"
    assert "Deadlines: 0 met" in box.informativeText()
    assert not ui.timer.isActive() and ui.replay.ended
    box.close()


def test_the_war_room_display_says_exercise(
    qtbot, exercise_window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    display = exercise_window.open_display()  # View → War-room display
    qtbot.addWidget(display)
    display.resize(1280, 800)
    display.show()
    qtbot.waitExposed(display)
    banner = display.exercise_banner
    assert banner is not None and banner.isVisible()
    assert display.windowTitle().startswith("EXERCISE — ")
    assert banner.text().startswith("EXERCISE — Certificate expiry")
    assert banner.width() >= banner.fontMetrics().horizontalAdvance(banner.text())
    shot = tmp_path / "exercise-display.png"
    assert display.grab().save(str(shot))
    assert _marked(QImage(str(shot)), _area_in(banner, display))


def test_a_real_window_has_no_marking(window: MainWindow) -> None:
    assert window.exercise_ui is None
    assert "EXERCISE" not in window.windowTitle()


def test_help_starts_an_exercise_in_a_new_process(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMANDER_SMOKE_TEST", "1")  # the new window paints, then quits
    window.action_exercise.trigger()  # Help → Start an exercise…
    dialog = window.exercise_dialog
    qtbot.addWidget(dialog)
    assert dialog.scenario_box.count() == 3
    dialog.scenario_box.setCurrentIndex(2)
    dialog.speed_box.setValue(30)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.started_dir is not None, timeout=10_000)
    folder = dialog.started_dir
    assert folder.parent == window._ws.data_dir / "exercises"
    made = Workspace.open(folder, author="x")
    try:
        assert made.exercise is not None
        assert made.exercise.speed == 30
        assert made.exercise.scenario_title.startswith("Partner integration down")
    finally:
        made.close()
    assert dialog.launched is not None and dialog.launched > 0
