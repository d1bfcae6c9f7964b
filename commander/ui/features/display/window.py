"""The war-room window: composes the panels, follows the workspace, ticks, rotates.

Two timers drive it. The poll timer (0.5 s) asks the feed what changed and re-reads only the
shown incident when it did; the tick timer (1 s) recomputes countdowns and elapsed time from
the clock (``due - now``, never a counter), expires highlights, rotates between incidents and
ages the "last updated" indicator. When polling stops succeeding (or, following a server, the
sync stops completing cycles) the footer turns into a red STALE warning: a frozen screen can
never pass for a live one.

Read-only by construction: there is no editable widget and no action; keys other than Esc
(leave full screen) and F11 (full screen again) are ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError

from commander.core.deadlines import resolved_since
from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.charts import ChartDataService
from commander.services.impact import ImpactService
from commander.sync.status import OFFLINE, ONLINE, SYNCING, SyncStatus
from commander.ui.common.severity_badge import shown_names
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.display.chart import DEFAULT_HOURS, DisplayChart
from commander.ui.features.display.feed import DisplayFeed, IncidentView
from commander.ui.features.display.fit_label import FitLabel
from commander.ui.features.display.grid import GRID_MAX, DisplayGrid, most_urgent
from commander.ui.features.display.lists import RecentPanel, RosterPanel
from commander.ui.features.display.panels import HeaderPanel, StatusFooter, TimersStrip
from commander.ui.features.display.theme import (
    BACKGROUND,
    FOREGROUND,
    LIVE,
    PANEL,
    STALE_LOOK,
    Scale,
)
from commander.ui.features.exercise.exercise_marks import MARK_STYLE, exercise_text, title_for

POLL_MS = 500
TICK_MS = 1000
ROTATE_S = 20.0
STALE_AFTER_S = 5.0  # local polling every 0.5 s: 5 s without success is a stale screen
CHART_NOW_S = 60.0


class DisplayWindow(QWidget):
    """The whole incident at a glance, for the wall.

    Args:
        feed: what to show (the workspace, pinned incident).
        rotate_s: seconds per incident when several are active.
        chart_hours: how many of the latest hours of impact the chart shows.
        grid: several active incidents show side by side as tiles instead of rotating.
        source: "local workspace" or the server's redacted URL, for the footer.
        stale_after_s: without a successful update for this long, the screen says STALE.
    """

    def __init__(
        self,
        feed: DisplayFeed,
        *,
        rotate_s: float = ROTATE_S,
        chart_hours: float = DEFAULT_HOURS,
        grid: bool = False,
        source: str = "local workspace",
        stale_after_s: float = STALE_AFTER_S,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.feed = feed
        self.clock = feed.workspace.clock
        self.rotate_s = rotate_s
        self.chart_hours = chart_hours
        self.grid_mode = grid
        self.grid_views: dict[str, IncidentView] = {}  # grid mode: every shown incident
        self.source = source
        self.stale_after_s = stale_after_s
        self.sync_status: SyncStatus | None = None  # set when following a server
        self.cycle_count: Callable[[], int] | None = None  # completed sync cycles, ditto
        self._cycles_seen = 0
        self.incidents: list[Incident] = []
        self.view: IncidentView | None = None
        self.last_ok: datetime = self.clock.now()
        self.last_error: str | None = None
        self._shown_since = self.clock.now()
        self._chart_moved = self.clock.now()
        self._scale: Scale | None = None
        self.tasks = TaskRunner(self)
        self.poll_timer = QTimer(self)
        self.tick_timer = QTimer(self)
        self._setup_ui()
        self.poll()
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.poll_timer.start()
        self.tick_timer.start()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Commander — war room")
        self.setAccessibleName("War-room display")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"DisplayWindow {{ background: {BACKGROUND}; }}")
        palette = self.palette()
        palette.setColor(self.backgroundRole(), BACKGROUND)
        palette.setColor(self.foregroundRole(), FOREGROUND)
        self.setPalette(palette)
        ws = self.feed.workspace
        self.header = HeaderPanel(self)
        self.timers = TimersStrip(self)
        self.recent = RecentPanel(ws.zone, self)
        self.roster = RosterPanel(self)
        self.chart = DisplayChart(
            ChartDataService(ws, self.feed.deadlines),
            ImpactService(ws),
            self.tasks,
            self,
            clock=self.clock,
            hours=self.chart_hours,
        )
        self.footer = StatusFooter(self)
        self.grid = DisplayGrid(ws.zone, self)
        side = QVBoxLayout()
        side.setSpacing(0)
        side.addWidget(self.roster, 2)
        side.addWidget(self.chart, 3)
        body = QHBoxLayout()
        body.addWidget(self.recent, 11)
        body.addLayout(side, 9)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(0)
        detail_layout.addWidget(self.header)
        detail_layout.addWidget(self.timers)
        detail_layout.addLayout(body, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(detail)
        self.pages.addWidget(self.grid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.exercise_banner: FitLabel | None = None
        if ws.exercise is not None:  # a practice screen must never pass for a real one
            self.exercise_banner = FitLabel(
                exercise_text(ws),
                self,
                bold=True,
                align=Qt.AlignmentFlag.AlignCenter,
                name="Exercise",
            )
            self.exercise_banner.setStyleSheet(MARK_STYLE)
            self.setWindowTitle(title_for(ws, self.windowTitle()))
            layout.addWidget(self.exercise_banner)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.footer)
        self._body = body
        self._side = side
        self.resize(1366, 768)

    # -- scale ----------------------------------------------------------------------------

    def apply_scale(self, height: int) -> None:
        scale = Scale.for_height(height)
        if scale == self._scale:
            return
        self._scale = scale
        gap = scale.px(0.4)
        self._body.setContentsMargins(gap, gap, gap, gap)
        self._body.setSpacing(gap)
        self._side.setSpacing(gap)
        for panel in (self.header, self.timers, self.recent, self.roster, self.chart, self.grid):
            panel.apply_scale(scale)
        self.footer.apply_scale(scale)
        if self.exercise_banner is not None:
            self.exercise_banner.set_pixel_size(scale.px(1.2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.apply_scale(event.size().height())
        super().resizeEvent(event)

    # -- following the workspace ----------------------------------------------------------

    def poll(self) -> None:
        """Apply what changed since the last poll (cheap when nothing did)."""
        try:
            changes = self.feed.poll()
            if changes is not None:
                self._apply(changes.records_changed, changes.incident_ids, changes.last_seq)
        except (CommanderError, SQLAlchemyError) as err:
            self.last_error = str(err)
            return
        self.last_error = None
        if self.cycle_count is None:  # following a server, freshness is the server's
            self.last_ok = self.clock.now()

    def _apply(self, records: set[str], touched: set[str], last_seq: int) -> None:
        """``records``: incidents whose record changed (fields, impact samples, deadlines);
        ``touched``: every incident with a new op. Only the shown incident is read again."""
        first = not self.incidents and self.view is None
        if first or records or last_seq == 0 or not touched:
            self._reload_list()
        current = self.view.incident.id if self.view is not None else None
        if current is not None and current in touched:
            self._show(current, impact_changed=current in records)
        if self.showing_grid() and (touched & self.grid_views.keys() or not touched):
            self._show_grid(touched)
        for incident_id in records:
            if incident_id != current:
                self.chart.data_changed(incident_id)

    def _reload_list(self) -> None:
        self.incidents = self.feed.shown_incidents()
        ids = {i.id for i in self.incidents}
        self.chart.keep_only(ids)
        current = self.view.incident.id if self.view is not None else None
        if current not in ids:
            self._show(self.incidents[0].id if self.incidents else None)
        for gone in self.grid_views.keys() - ids:
            del self.grid_views[gone]
        self._show_grid(ids - self.grid_views.keys())

    def _show(self, incident_id: str | None, *, impact_changed: bool = False) -> None:
        now = self.clock.now()
        if incident_id is None:
            self.view = None
            self.header.set_incident(None)
            self.timers.show_deadlines([], self.feed.workspace.zone)
            self.roster.set_lines([])
            self.chart.show_incident(None)
            self._update_footer(now)
            return
        changed = self.view is None or self.view.incident.id != incident_id
        self.view = view = self.feed.view(incident_id)
        if changed:
            self._shown_since = now
        self.header.set_incident(view.incident, resolved_since(view.facts, now))
        self.roster.set_lines(view.roster)
        self.recent.set_entries(incident_id, view.recent, now)
        if changed:
            self.chart.show_incident(incident_id)
        elif impact_changed:
            self.chart.data_changed(incident_id)
        self._tick_view(now)

    # -- the grid -------------------------------------------------------------------------

    def showing_grid(self) -> bool:
        return self.grid_mode and len(self.incidents) > 1

    def _show_grid(self, reread: set[str]) -> None:
        """Re-read the incidents in ``reread`` (others keep their view), then lay out tiles."""
        grid = self.showing_grid()
        if grid:
            self.pages.setCurrentWidget(self.grid)
        else:
            self.pages.setCurrentIndex(0)
        if not grid:
            self.grid_views.clear()
            return
        now = self.clock.now()
        for incident in self.incidents[:GRID_MAX]:
            if incident.id in reread or incident.id not in self.grid_views:
                self.grid_views[incident.id] = self.feed.view(incident.id)
        views = [self.grid_views[i.id] for i in self.incidents[:GRID_MAX]]
        self.grid.set_views([(v, resolved_since(v.facts, now)) for v in views])
        self._tick_grid(now)

    def _tick_grid(self, now: datetime) -> None:
        for tile in self.grid.shown():
            view = self.grid_views.get(tile.incident_id or "")
            if view is not None:
                tile.show_deadline(most_urgent(self.feed.deadlines.compute(view.facts, now)), now)

    # -- the clock ------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock.now()
        if self.cycle_count is not None:
            cycles = self.cycle_count()
            if cycles != self._cycles_seen:
                self._cycles_seen = cycles
                self.last_ok = now
        if self.showing_grid():
            self._tick_grid(now)
        elif len(self.incidents) > 1 and (now - self._shown_since).total_seconds() >= self.rotate_s:
            self.rotate()
            return
        self._tick_view(now)

    def rotate(self) -> None:
        """Show the next incident (highest severity first, then round again)."""
        if not self.incidents:
            return
        ids = [i.id for i in self.incidents]
        current = self.view.incident.id if self.view is not None else None
        at = ids.index(current) + 1 if current in ids else 0
        try:
            self._show(ids[at % len(ids)])
        except (CommanderError, SQLAlchemyError) as err:
            self.last_error = str(err)

    def _tick_view(self, now: datetime) -> None:
        view = self.view
        if view is not None:
            self.header.tick(now)
            deadlines = self.feed.deadlines.compute(view.facts, now)
            self.timers.show_deadlines(deadlines, self.feed.workspace.zone)
            self.recent.tick(now)
            if (now - self._chart_moved).total_seconds() >= CHART_NOW_S:
                self._chart_moved = now
                self.chart.move_now(now)
        self._update_footer(now)

    # -- the footer: connection and freshness ----------------------------------------------

    def set_sync_status(self, status: SyncStatus) -> None:
        self.sync_status = status

    def is_stale(self, now: datetime | None = None) -> bool:
        age = ((now or self.clock.now()) - self.last_ok).total_seconds()
        return age > self.stale_after_s

    def _update_footer(self, now: datetime) -> None:
        footer = self.footer
        status = self.sync_status
        if status is None:
            connection = f"● LIVE · {self.source}"
            ok = self.last_error is None
        else:
            ok = status.state in (ONLINE, SYNCING)
            word = "● ONLINE" if ok else f"✖ {status.label.upper()}"  # syncing is online too
            connection = f"{word} · {self.source}"
            if status.state == OFFLINE and status.last_error:
                connection += f" · {status.last_error}"
        if not ok and status is None:
            connection = f"✖ NOT READING · {self.last_error}"
        footer.connection.set_full_text(connection)
        footer.colour(footer.connection, PANEL, LIVE if ok else STALE_LOOK[0])
        count = len(self.incidents)
        if self.showing_grid():
            key = shown_names().key
            beyond = [f"{key(i.severity)} {i.ref}" for i in self.incidents[GRID_MAX:]]
            more = f" · not shown: {', '.join(beyond)}" if beyond else ""
            footer.others.set_full_text(f"{count} active, highest severity first{more}")
        elif count > 1 and self.view is not None:
            at = next((n for n, i in enumerate(self.incidents) if i.id == self.view.incident.id), 0)
            others = [
                f"{shown_names().key(i.severity)} {i.ref}"
                for i in self.incidents
                if i.id != self.view.incident.id
            ]
            footer.others.set_full_text(f"{at + 1}/{count} active · also: {', '.join(others)}")
        else:
            footer.others.set_full_text(
                now.astimezone(self.feed.workspace.zone).strftime("%H:%M %Z")
            )
        age = max(0, int((now - self.last_ok).total_seconds()))
        if self.is_stale(now):
            footer.freshness.set_full_text(f"✖ STALE — no update for {_age(age)}")
            footer.colour(footer.freshness, *STALE_LOOK)
        else:
            footer.freshness.set_full_text(f"Updated {_age(age)} ago")
            footer.colour(footer.freshness, PANEL, FOREGROUND)

    # -- read-only input -------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
        elif event.key() == Qt.Key.Key_F11 and not self.isFullScreen():
            self.showFullScreen()
        event.accept()  # nothing else: the display never changes the incident

    def closeEvent(self, event: QCloseEvent) -> None:
        self.poll_timer.stop()
        self.tick_timer.stop()
        self.tasks.wait()
        super().closeEvent(event)


def _age(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
