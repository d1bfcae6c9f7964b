"""The display's fixed panels: the incident header, the countdown tiles and the footer.

Every panel builds its widgets once and only changes their text and colours afterwards, so a
display running for days allocates nothing per tick.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from commander.core.deadline_policy import DeadlineKind, DeadlineState
from commander.core.deadlines import DUE_NOW, Deadline, countdown_text
from commander.core.records import Incident
from commander.ui.common.elapsed_label import format_elapsed
from commander.ui.common.severity_badge import SEVERITY_COLOURS, shown_names
from commander.ui.features.display.fit_label import FitLabel
from commander.ui.features.display.theme import (
    BACKGROUND,
    FOREGROUND,
    MUTED,
    PANEL,
    STATE_LOOK,
    Scale,
    panel_style,
)

_CENTER = Qt.AlignmentFlag.AlignHCenter
_RIGHT = Qt.AlignmentFlag.AlignRight

# The timers the wall must show, biggest element of the screen, in this order.
TIMER_KINDS: tuple[DeadlineKind, ...] = (
    DeadlineKind.RESPONSE,
    DeadlineKind.INTERNAL_UPDATE,
    DeadlineKind.ESCALATION,
    DeadlineKind.CUSTOMER_COMMS,
    DeadlineKind.PARTNER_COMMS,
)
_TIMER_NAMES: dict[str, str] = {
    DeadlineKind.RESPONSE: "Acknowledge",
    DeadlineKind.INTERNAL_UPDATE: "Next update",
    DeadlineKind.CUSTOMER_COMMS: "Customer comms",
    DeadlineKind.PARTNER_COMMS: "Partner comms",
}


def timer_name(deadline: Deadline) -> str:
    """The wall's short name of a deadline ("Next update" rather than the procedure's); a
    regulatory clock names its article."""
    if deadline.cite:
        return f"{deadline.name} · {deadline.cite}"
    return _TIMER_NAMES.get(str(deadline.key), deadline.name)


class HeaderPanel(QFrame):
    """Severity badge, reference, title, status and phase, elapsed time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._declared: datetime | None = None
        self._ended: datetime | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Incident")
        self.setStyleSheet(panel_style(BACKGROUND))
        self.badge = FitLabel("", self, bold=True, align=_CENTER, name="Severity")
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.title = FitLabel("No incident", self, bold=True, name="Title")
        self.ref = FitLabel("", self, name="Reference")
        self.ref.setStyleSheet(f"color: {MUTED};")
        self.state = FitLabel("", self, name="Status and phase")
        self.elapsed = FitLabel("", self, bold=True, align=_RIGHT, name="Elapsed")
        grid = self._grid = QGridLayout(self)
        grid.addWidget(self.badge, 0, 0, 2, 1)
        grid.addWidget(self.title, 0, 1, 1, 3)
        grid.addWidget(self.ref, 1, 1)
        grid.addWidget(self.state, 1, 2)
        grid.addWidget(self.elapsed, 1, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(3, 2)

    def apply_scale(self, scale: Scale) -> None:
        layout = self._grid
        layout.setContentsMargins(scale.px(0.6), scale.px(0.3), scale.px(0.6), scale.px(0.2))
        layout.setHorizontalSpacing(scale.px(0.8))
        layout.setVerticalSpacing(scale.px(0.1))
        self.badge.set_pixel_size(scale.px(1.9), pad=scale.px(0.5))
        self.badge.setFixedWidth(scale.px(11))  # "P0 · CRITICAL" fits at full size
        self.title.set_pixel_size(scale.px(1.6))
        for label in (self.ref, self.state, self.elapsed):
            label.set_pixel_size(scale.px(1.0))

    def set_incident(self, incident: Incident | None, ended: datetime | None = None) -> None:
        if incident is None:
            self.badge.set_full_text("")
            self.badge.setStyleSheet("")
            self.title.set_full_text("No active incident")
            self.ref.set_full_text("")
            self.state.set_full_text("")
            self._declared = None
            return
        background, foreground = SEVERITY_COLOURS[incident.severity]
        names = shown_names()
        level = f"{names.key(incident.severity)} · {names.name(incident.severity).upper()}"
        self.badge.set_full_text(level)
        self.badge.setStyleSheet(f"background: {background}; color: {foreground};")
        self.title.set_full_text(incident.title)
        self.ref.set_full_text(incident.ref)
        self.state.set_full_text(
            f"Status: {incident.status.label}  ·  Phase: {incident.phase.label}"
        )
        self._declared = incident.declared_at
        self._ended = ended

    def tick(self, now: datetime) -> None:
        if self._declared is None:
            self.elapsed.set_full_text("")
            return
        seconds = ((self._ended or now) - self._declared).total_seconds()
        word = "Lasted" if self._ended else "Elapsed"
        self.elapsed.set_full_text(f"{word} {format_elapsed(seconds)}")


class TimerTile(QFrame):
    """One countdown: what is due, the countdown itself (largest text), its state in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timerTile")
        self.name = FitLabel("", self, align=_CENTER, name="Deadline")
        self.countdown = FitLabel("", self, bold=True, align=_CENTER, name="Countdown")
        self.state = FitLabel("", self, bold=True, align=_CENTER, name="Deadline state")
        layout = self._box = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.countdown)
        layout.addWidget(self.state)
        self._look: tuple[str, str] | None = None

    def apply_scale(self, scale: Scale) -> None:
        self._box.setContentsMargins(scale.px(0.3), scale.px(0.2), scale.px(0.3), 0)
        self._box.setSpacing(0)
        self.name.set_pixel_size(scale.px(1.0))
        self.countdown.set_pixel_size(scale.px(3.0))
        self.state.set_pixel_size(scale.px(0.9))

    def show_deadline(self, deadline: Deadline, zone: object) -> None:
        word, background, foreground = STATE_LOOK[deadline.state]
        word = f"⚠ {DUE_NOW.upper()}" if deadline.in_grace else word
        self.name.set_full_text(timer_name(deadline))
        if deadline.state is DeadlineState.MET and deadline.met_at is not None:
            at = deadline.met_at.astimezone(zone)  # type: ignore[arg-type]
            self.countdown.set_full_text(f"✔ {at.strftime('%H:%M')}")
        elif deadline.remaining is not None:
            self.countdown.set_full_text(countdown_text(deadline))
        else:
            self.countdown.set_full_text("—")
        self.state.set_full_text(word)
        if self._look != (background, foreground):
            self._look = (background, foreground)
            self.setStyleSheet(
                f"QFrame#timerTile {{ background: {background}; border: 2px solid {MUTED}; }}"
                f" QLabel {{ color: {foreground}; background: transparent; }}"
            )


class TimersStrip(QWidget):
    """The countdown tiles, in ``TIMER_KINDS`` order, then the procedure's regulatory clocks
    (a rule that cites an article), each given a tile the first time it is seen; deadlines
    that do not apply are hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Countdown timers")
        self.tiles: dict[str, TimerTile] = {kind.value: TimerTile(self) for kind in TIMER_KINDS}
        self._scale: Scale | None = None
        layout = self._box = QHBoxLayout(self)
        for tile in self.tiles.values():
            layout.addWidget(tile, 1)

    def apply_scale(self, scale: Scale) -> None:
        self._scale = scale
        self._box.setContentsMargins(scale.px(0.5), scale.px(0.2), scale.px(0.5), scale.px(0.2))
        self._box.setSpacing(scale.px(0.5))
        for tile in self.tiles.values():
            tile.apply_scale(scale)

    def show_deadlines(self, deadlines: list[Deadline], zone: object) -> None:
        by_kind = {str(d.key): d for d in deadlines}
        for deadline in deadlines:
            if deadline.cite and str(deadline.key) not in self.tiles:
                tile = TimerTile(self)
                if self._scale is not None:
                    tile.apply_scale(self._scale)
                tile.hide()
                self._box.addWidget(tile, 1)
                self.tiles[str(deadline.key)] = tile
        for kind, tile in self.tiles.items():
            shown = by_kind.get(kind)
            visible = shown is not None and (shown.applies or shown.state is DeadlineState.MET)
            if visible and shown is not None:
                tile.show_deadline(shown, zone)
            if tile.isHidden() == visible:
                tile.setVisible(visible)


class StatusFooter(QFrame):
    """Connection state, the other active incidents, and how old the shown data is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Display status")
        self.setStyleSheet(panel_style(PANEL, FOREGROUND))
        self.connection = FitLabel("", self, bold=True, name="Connection")
        self.others = FitLabel("", self, align=_CENTER, name="Other incidents")
        self.freshness = FitLabel("", self, bold=True, align=_RIGHT, name="Last updated")
        layout = self._box = QHBoxLayout(self)
        layout.addWidget(self.connection, 2)
        layout.addWidget(self.others, 3)
        layout.addWidget(self.freshness, 2)
        self._looks: dict[str, str] = {}

    def apply_scale(self, scale: Scale) -> None:
        self._box.setContentsMargins(scale.px(0.5), 0, scale.px(0.5), 0)
        for label in (self.connection, self.others, self.freshness):
            label.set_pixel_size(scale.px(0.9), pad=scale.px(0.3))

    def colour(self, label: FitLabel, background: str, foreground: str) -> None:
        look = f"background: {background}; color: {foreground};"
        if self._looks.get(label.accessibleName()) != look:
            self._looks[label.accessibleName()] = look
            label.setStyleSheet(look)
