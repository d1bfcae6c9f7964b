"""The window at laptop sizes: event text gets the width, no deadline name is cut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from commander.ui.features.deadlines.deadline_model import COL_NAME
from commander.ui.features.timeline.timeline_model import COL_EVENT
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.shell_layout import COMPACT_BELOW, INCIDENTS_TAB


def _settle(qtbot, window: MainWindow, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    for _ in range(3):
        QApplication.processEvents()


def _declare(window: MainWindow) -> str:
    declared = window._service.declare(title="Checkout down", severity="P0")
    window.refresh()
    window.select_incident(declared.incident.id)
    return declared.incident.id


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_event_column_gets_half_the_timeline_and_no_deadline_name_is_elided(
    qtbot, window: MainWindow, size
) -> None:  # type: ignore[no-untyped-def]
    incident_id = _declare(window)
    window._service.log_quick(incident_id, "Error rate on checkout-api at 100 % since 09:51 " * 2)
    window.refresh()
    _settle(qtbot, window, *size)
    timeline = window.timeline_panel.table
    event = timeline.horizontalHeader().sectionSize(COL_EVENT)
    assert event >= timeline.viewport().width() / 2, (event, timeline.viewport().width())
    table = window.deadlines_panel.table
    width = table.horizontalHeader().sectionSize(COL_NAME)
    metrics = table.fontMetrics()
    padding = 2 * table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 2
    model = table.model()
    assert model.rowCount() == 8
    for row in range(model.rowCount()):
        name = model.index(row, COL_NAME).data()
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, width - padding)
        assert shown == name, f"{name!r} is cut to {shown!r} at {width} px"
        assert table.visualRect(model.index(row, COL_NAME)).bottom() <= table.viewport().height()
    assert not table.verticalScrollBar().isVisible()  # every deadline in view


def test_the_incident_list_folds_into_a_tab_on_a_laptop_and_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _declare(window)
    _settle(qtbot, window, 1280, 800)
    tabs = window.side_tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert INCIDENTS_TAB in titles and tabs.currentWidget() is window.roster_panel
    assert window.shell_layout.compact
    _settle(qtbot, window, COMPACT_BELOW + 100, 800)
    assert INCIDENTS_TAB not in [tabs.tabText(i) for i in range(tabs.count())]
    assert window.main_splitter.widget(0) is window.incident_view
    assert window.incident_view.isVisible()
