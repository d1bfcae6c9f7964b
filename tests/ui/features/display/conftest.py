"""The ``make_display`` fixture: a war-room display over the test workspace, driven by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from commander.services.workspace import Workspace
from commander.ui.features.display.launch import build_display
from commander.ui.features.display.window import DisplayWindow


@pytest.fixture
def make_display(qtbot, workspace: Workspace) -> Iterator:  # type: ignore[no-untyped-def]
    made: list[DisplayWindow] = []

    def make(
        size: tuple[int, int] = (1920, 1080), *, live: bool = False, **kwargs
    ) -> DisplayWindow:  # type: ignore[no-untyped-def]
        window = build_display(workspace, **kwargs)
        if not live:  # tests drive poll() and tick() themselves
            window.poll_timer.stop()
            window.tick_timer.stop()
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.tasks.wait()
