"""How the main window's panes share a laptop screen (1280x800 and 1366x768 first).

The timeline's event text is what a scribe reads; the deadlines are what a commander watches.
So: below ``COMPACT_BELOW`` px the incident list folds into a tab beside the roster (the header
names the incident shown), the deadlines column takes exactly the width its names need (none
is elided) and the height of all its rows (it never scrolls, and the alerts dock cannot
squeeze it), and the timeline takes the rest, most of it for the Event column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView

from commander.ui.features.timeline.timeline_model import COL_ACTION, COL_AUTHOR, COL_OWNER

if TYPE_CHECKING:
    from commander.ui.shell.main_window import MainWindow

COMPACT_BELOW = 1600  # px of window width: below it the incident list is a tab
INCIDENTS_TAB = "Incidents"
TABS_AT_LEAST = 150  # px left to the roster and the other tabs under the deadlines
LIST_WIDTH = 260  # the incident list, when it has a column of its own
# Share of the timeline's width for the columns beside Event, with floors and caps in px.
TIMELINE_SHARES = (
    (COL_ACTION, 0.18, 110, 320),
    (COL_OWNER, 0.08, 60, 140),
    (COL_AUTHOR, 0.08, 60, 120),
)


class ShellLayout(QObject):
    """Re-lays the window out when its width crosses ``COMPACT_BELOW``; fits the columns.

    Attributes:
        compact: whether the incident list is folded into the side tabs.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.compact: bool | None = None
        self._fitted: tuple[int, ...] | None = None
        self._retries = 0  # fits of the same geometry that still left the deadlines scrolling
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(0)
        self._settle.timeout.connect(lambda: self.apply(self._window.width()))
        window.installEventFilter(self)
        timeline = window.timeline_panel.table
        timeline.viewport().installEventFilter(self)
        deadlines = window.deadlines_panel.table
        deadlines.model().modelReset.connect(self._settle.start)
        deadlines.model().rowsInserted.connect(self._settle.start)
        window.work_splitter.installEventFilter(self)  # shown (an incident selected) or resized

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self._window:
                self.apply(self._window.width())
                self._settle.start()  # again once the children have their new sizes
            elif watched is self._window.work_splitter:
                self._settle.start()
            elif watched is self._window.timeline_panel.table.viewport():
                self.fit_timeline()
        return False

    def apply(self, width: int) -> None:
        """Fold or unfold the incident list for ``width``, then size the columns."""
        compact = width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
            self._place_incident_list(compact)
        self.fit_deadlines()
        self.fit_timeline()

    def _place_incident_list(self, compact: bool) -> None:
        window = self._window
        view, tabs = window.incident_view, window.side_tabs
        index = tabs.indexOf(view)
        if compact and index < 0:
            current = tabs.currentWidget()
            tabs.addTab(view, INCIDENTS_TAB)
            tabs.setCurrentWidget(current)  # the roster stays in front
        elif not compact and index >= 0:
            tabs.removeTab(index)
            window.main_splitter.insertWidget(0, view)
            window.main_splitter.setSizes([LIST_WIDTH, max(window.width() - LIST_WIDTH, 1)])
            view.show()

    def fit_deadlines(self) -> None:
        """The deadlines column: as wide as its names need, as tall as all its rows."""
        window = self._window
        table = window.deadlines_panel.table
        header = table.horizontalHeader()
        columns = range(header.count())
        natural = sum(max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) for c in columns)
        needed = natural + 2 * table.frameWidth() + 4
        if table.verticalScrollBar().isVisible():
            needed += table.verticalScrollBar().width()
        panel_layout = window.deadlines_panel.layout()
        if panel_layout is not None:  # the panel's own margins around the table
            margins = panel_layout.contentsMargins()
            needed += margins.left() + margins.right()
        column = needed
        rows = table.model().rowCount()
        rows_height = rows * table.verticalHeader().defaultSectionSize()
        sizes = window.work_splitter.sizes()
        total = sum(sizes)
        key = (window.width(), window.height(), total, sum(window.side_column.sizes()), rows)
        if key == self._fitted and (
            self._retries >= 3 or not table.verticalScrollBar().isVisible()
        ):
            return  # nothing moved: keep what the user dragged the splitters to
        self._retries = self._retries + 1 if key == self._fitted else 0
        self._fitted = key
        if total > 0:
            side = min(column, total // 2)
            window.work_splitter.setSizes([total - side, side])
        self._fit_deadline_rows(rows_height)
        if table.verticalScrollBar().isVisible():
            self._settle.start()  # measured before the layout settled: once more, then

    def _fit_deadline_rows(self, rows_height: int) -> None:
        """Every deadline row visible: the panels below give way, and so does a bottom dock
        (the alerts dock once squeezed the deadlines to a few rows)."""
        window = self._window
        panel = window.deadlines_panel
        if panel.height() <= 0:
            return
        # Everything around the rows (summary, header, frame, buttons), as laid out now.
        around = panel.height() - panel.table.viewport().height()
        wanted = around + rows_height + 2
        column = window.side_column
        total = sum(column.sizes())
        if total <= 0:
            return
        tabs_min = window.side_tabs.minimumSizeHint().height()
        if total - wanted < tabs_min:  # not enough room: ask the docks for it
            docks = [
                d
                for d in window.findChildren(QDockWidget)
                if d.isVisible()
                and not d.isFloating()
                and window.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea
            ]
            short = wanted + tabs_min - total
            if docks:
                heights = [max(d.minimumSizeHint().height(), d.height() - short) for d in docks]
                window.resizeDocks(docks, heights, Qt.Orientation.Vertical)
                total = sum(column.sizes())
        # The deadlines first: the panels below scroll before a deadline does.
        top = min(wanted, max(total - TABS_AT_LEAST, total // 2))
        column.setSizes([top, max(total - top, 1)])

    def fit_timeline(self) -> None:
        """Action, owner and author get a share each; Event stretches over the rest."""
        table: QTableView = self._window.timeline_panel.table
        header = table.horizontalHeader()
        width = table.viewport().width()
        for column, share, low, high in TIMELINE_SHARES:
            header.resizeSection(column, int(min(max(width * share, low), high)))


def prepare_deadline_columns(table: QAbstractItemView) -> None:
    """Deadline names are never elided: their column fits the longest, State takes the rest;
    rows as compact as the timeline's, so all eight fit beside an open alerts dock."""
    if not isinstance(table, QTableView):
        return
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
