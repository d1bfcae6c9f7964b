"""The compact grid: every active incident at once, one tile each, highest severity first.

The alternative to rotating when a room follows several incidents and nobody wants to wait
20 s to see the one that matters. A tile keeps to what a glance needs: severity (colour and
word), reference and title, status and phase, the most urgent countdown with its state in
words, the incident commander and the elapsed time. Tiles come from a fixed pool (never
allocated per update) and the ones beyond ``GRID_MAX`` are named in the footer instead.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from commander.core.deadline_policy import DeadlineState
from commander.core.deadlines import DUE_NOW, Deadline, countdown_text
from commander.core.roles import INCIDENT_COMMANDER
from commander.ui.common.elapsed_label import format_elapsed
from commander.ui.common.severity_badge import SEVERITY_COLOURS, shown_names
from commander.ui.common.zones import FollowsZone
from commander.ui.features.display.feed import IncidentView
from commander.ui.features.display.fit_label import FitLabel
from commander.ui.features.display.panels import timer_name
from commander.ui.features.display.theme import (
    FOREGROUND,
    MUTED,
    PANEL,
    STATE_LOOK,
    Scale,
    panel_style,
)

GRID_MAX = 9
_CENTER = Qt.AlignmentFlag.AlignHCenter
_RIGHT = Qt.AlignmentFlag.AlignRight


def grid_shape(count: int) -> tuple[int, int]:
    """(columns, rows) for ``count`` tiles: as square as a wide screen allows."""
    count = max(1, min(count, GRID_MAX))
    columns = 1 if count == 1 else 2 if count <= 4 else 3
    return columns, -(-count // columns)


def most_urgent(deadlines: list[Deadline]) -> Deadline | None:
    """The open deadline that falls due first (overdue ones are the most urgent of all)."""
    pending = [
        (d.remaining, n, d)
        for n, d in enumerate(deadlines)
        if d.applies and d.state is not DeadlineState.MET and d.remaining is not None
    ]
    return min(pending, default=(None, 0, None))[2]


class IncidentTile(QFrame):
    """One incident in the grid; its border takes the colour of its severity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentTile")
        self.setAccessibleName("Incident tile")
        self.badge = FitLabel("", self, bold=True, align=_CENTER, name="Severity")
        self.ref = FitLabel("", self, align=_RIGHT, name="Reference")
        self.ref.setStyleSheet(f"color: {MUTED};")
        self.title = FitLabel("", self, bold=True, name="Title")
        self.state = FitLabel("", self, name="Status and phase")
        self.timer = FitLabel("", self, bold=True, align=_CENTER, name="Most urgent deadline")
        self.commander = FitLabel("", self, name="Incident commander")
        self.elapsed = FitLabel("", self, align=_RIGHT, name="Elapsed")
        top = QHBoxLayout()
        top.addWidget(self.badge, 3)
        top.addWidget(self.ref, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.commander, 3)
        bottom.addWidget(self.elapsed, 2)
        layout = self._box = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.state)
        layout.addStretch(1)
        layout.addWidget(self.timer)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self._looks: dict[str, str] = {}
        self._declared: datetime | None = None
        self._ended: datetime | None = None
        self.incident_id: str | None = None

    def apply_scale(self, scale: Scale) -> None:
        self._box.setContentsMargins(*(scale.px(0.5),) * 4)
        self._box.setSpacing(scale.px(0.2))
        self.badge.set_pixel_size(scale.px(1.3), pad=scale.px(0.3))
        self.ref.set_pixel_size(scale.px(1.0))
        self.title.set_pixel_size(scale.px(1.4))
        self.state.set_pixel_size(scale.px(1.0))
        self.timer.set_pixel_size(scale.px(2.0), pad=scale.px(0.3))
        for label in (self.commander, self.elapsed):
            label.set_pixel_size(scale.px(1.0))

    def set_view(self, view: IncidentView, ended: datetime | None) -> None:
        incident = view.incident
        self.incident_id = incident.id
        background, foreground = SEVERITY_COLOURS[incident.severity]
        names = shown_names()
        self.badge.set_full_text(
            f"{names.key(incident.severity)} · {names.name(incident.severity).upper()}"
        )
        self._look(self.badge, f"background: {background}; color: {foreground};")
        self._look(
            self,
            f"QFrame#incidentTile {{ background: {PANEL}; border: 3px solid {background}; }}",
        )
        self.ref.set_full_text(incident.ref)
        self.title.set_full_text(incident.title)
        self.state.set_full_text(f"{incident.status.label} · {incident.phase.label}")
        holder = next(
            (
                line.holder
                for line in view.roster
                if line.role.key == INCIDENT_COMMANDER and line.assigned
            ),
            None,
        )
        if holder is not None:
            self.commander.set_full_text(f"IC: {holder.person_name or holder.person}")
            self._look(self.commander, f"color: {FOREGROUND};")
        else:
            _word, background, foreground = STATE_LOOK[DeadlineState.DUE_SOON]
            self.commander.set_full_text("IC: ⚠ unassigned")
            self._look(self.commander, f"background: {background}; color: {foreground};")
        self._declared, self._ended = incident.declared_at, ended

    def show_deadline(self, deadline: Deadline | None, now: datetime) -> None:
        if deadline is None or deadline.remaining is None:
            self.timer.set_full_text("No open deadline")
            self._look(self.timer, f"color: {MUTED};")
        else:
            word, background, foreground = STATE_LOOK[deadline.state]
            word = f"⚠ {DUE_NOW.upper()}" if deadline.in_grace else word
            countdown = countdown_text(deadline)
            self.timer.set_full_text(f"{timer_name(deadline)} {countdown} · {word}")
            self._look(self.timer, f"background: {background}; color: {foreground};")
        if self._declared is not None:
            seconds = ((self._ended or now) - self._declared).total_seconds()
            self.elapsed.set_full_text(format_elapsed(seconds))

    def _look(self, widget: QWidget, style: str) -> None:
        key = widget.accessibleName()
        if self._looks.get(key) != style:
            self._looks[key] = style
            widget.setStyleSheet(style)


class DisplayGrid(QWidget, FollowsZone):
    """Up to ``GRID_MAX`` incident tiles in a grid that follows the number of incidents."""

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Active incidents")
        self.setStyleSheet(panel_style(PANEL, FOREGROUND))
        self._zone = zone
        self.tiles = [IncidentTile(self) for _ in range(GRID_MAX)]
        self._grid = QGridLayout(self)
        self._shape: tuple[int, int] | None = None
        self._used = 0
        for tile in self.tiles:
            tile.hide()

    def apply_scale(self, scale: Scale) -> None:
        self._grid.setContentsMargins(*(scale.px(0.4),) * 4)
        self._grid.setSpacing(scale.px(0.5))
        for tile in self.tiles:
            tile.apply_scale(scale)

    def set_views(self, views: list[tuple[IncidentView, datetime | None]]) -> None:
        """Show these incidents (already in severity order); ``datetime``: when it ended."""
        views = views[:GRID_MAX]
        shape = grid_shape(len(views))
        if shape != self._shape or len(views) != self._used:
            self._shape, self._used = shape, len(views)
            for tile in self.tiles:
                self._grid.removeWidget(tile)
            columns, rows = shape
            for n, tile in enumerate(self.tiles):
                if n < len(views):
                    self._grid.addWidget(tile, n // columns, n % columns)
                tile.setVisible(n < len(views))
            for column in range(3):
                self._grid.setColumnStretch(column, 1 if column < columns else 0)
            for row in range(GRID_MAX):
                self._grid.setRowStretch(row, 1 if row < rows else 0)
        for tile, (view, ended) in zip(self.tiles, views, strict=False):
            tile.set_view(view, ended)

    def shown(self) -> list[IncidentTile]:
        return self.tiles[: self._used]
