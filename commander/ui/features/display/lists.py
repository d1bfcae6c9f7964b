"""The roster and the latest timeline entries: fixed pools of labels placed by hand.

Rows are positioned in ``resizeEvent`` and the ones that do not fit are hidden, so nothing is
ever drawn half-clipped or over a neighbour, whatever the screen; the pools never grow.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QWidget

from commander.core.deadline_policy import DeadlineState
from commander.core.entry_kinds import ICONS, KEY_ICON, Kind, normalize_kind
from commander.core.records import TimelineEntry
from commander.core.roles import RosterLine
from commander.ui.common.zones import FollowsZone
from commander.ui.features.display.feed import RECENT_MAX
from commander.ui.features.display.fit_label import FitLabel
from commander.ui.features.display.theme import (
    FOREGROUND,
    HIGHLIGHT,
    MUTED,
    PANEL,
    STATE_LOOK,
    Scale,
    panel_style,
)

ROSTER_MAX = 12
HIGHLIGHT_S = 8.0  # how long a new entry stays highlighted
HEADING = "TIMELINE — NEWEST FIRST"
HEADING_KEY = f"{KEY_ICON} KEY EVENTS, THEN NEWEST FIRST"


class _RowsPanel(QFrame):
    """A heading and ``rows`` pairs of labels (a narrow left one, a wide right one)."""

    def __init__(self, heading: str, rows: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(panel_style(PANEL))
        self.heading = FitLabel(heading, self, bold=True, name=heading)
        self.heading.setStyleSheet(f"color: {MUTED};")
        self.lefts = [
            FitLabel("", self, name=f"{heading} {n} left", shrink=False) for n in range(rows)
        ]
        self.rights = [
            FitLabel("", self, name=f"{heading} {n} right", shrink=False) for n in range(rows)
        ]
        self._used = 0
        self._scale = Scale(16)
        self.left_share = 0.3

    def apply_scale(self, scale: Scale) -> None:
        self._scale = scale
        self.heading.set_pixel_size(scale.px(0.9))
        for label in (*self.lefts, *self.rights):
            label.set_pixel_size(scale.px(1.0), pad=scale.px(0.15))
        self._place()

    def set_used(self, used: int) -> None:
        self._used = used
        self._place()

    def fitting_rows(self) -> int:
        """How many rows fit under the heading at the current height."""
        pad = self._scale.px(0.4)
        room = self.height() - pad * 2 - self.heading.height()
        return max(0, min(self._used, room // max(1, self.lefts[0].height())))

    def _place(self) -> None:
        pad = self._scale.px(0.4)
        width = self.width() - 2 * pad
        self.heading.setGeometry(pad, pad, width, self.heading.height())
        y = pad + self.heading.height()
        left_w = int(width * self.left_share)
        shown = self.fitting_rows()
        for n, (left, right) in enumerate(zip(self.lefts, self.rights, strict=True)):
            visible = n < shown
            if visible:
                height = left.height()
                left.setGeometry(pad, y, left_w, height)
                right.setGeometry(pad + left_w, y, width - left_w, height)
                y += height
            if left.isHidden() == visible:
                left.setVisible(visible)
                right.setVisible(visible)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()


class RosterPanel(_RowsPanel):
    """Who holds each core role, and the extended roles in use; gaps in words and colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ROSTER", ROSTER_MAX, parent)
        self.setAccessibleName("Roster")
        self.left_share = 0.42
        self._looks: list[str] = [""] * ROSTER_MAX

    def set_lines(self, lines: list[RosterLine]) -> None:
        lines = lines[:ROSTER_MAX]
        for n, line in enumerate(lines):
            self.lefts[n].set_full_text(line.role.name)
            if line.assigned and line.holder is not None:
                text, look = line.holder.holder_text(), f"color: {FOREGROUND};"
            elif line.missing:
                _word, background, foreground = STATE_LOOK[DeadlineState.DUE_SOON]
                text, look = "⚠ UNASSIGNED", f"background: {background}; color: {foreground};"
            else:
                text, look = "— not assigned", f"color: {MUTED};"
            self.rights[n].set_full_text(text)
            if self._looks[n] != look:
                self._looks[n] = look
                self.rights[n].setStyleSheet(look)
        self.set_used(len(lines))


class RecentPanel(_RowsPanel, FollowsZone):
    """The last entries of the timeline, newest first; new ones highlighted for a moment."""

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(HEADING, RECENT_MAX, parent)
        self.setAccessibleName("Latest timeline entries")
        self.left_share = 0.16
        self._zone = zone
        self._incident_id: str | None = None
        self._seen: set[str] = set()
        self._new_until: dict[str, datetime] = {}
        self._ids: list[str] = []
        self._lit: list[bool] = [False] * RECENT_MAX

    def set_entries(self, incident_id: str, entries: list[TimelineEntry], now: datetime) -> None:
        """Show ``entries`` (newest first); ids not seen before for this incident light up."""
        ids = [entry.id for entry in entries]
        if incident_id != self._incident_id:
            self._incident_id = incident_id
            self._new_until.clear()
        else:
            for entry_id in ids:
                if entry_id not in self._seen:
                    self._new_until[entry_id] = now
        self._seen = set(ids)  # bounded: only what is shown
        self._ids = ids
        for n, entry in enumerate(entries):
            when = entry.occurred_at.astimezone(self._zone).strftime("%H:%M:%S")
            self.lefts[n].set_full_text(when)
            self.rights[n].set_full_text(_entry_text(entry))
        self.heading.set_full_text(HEADING_KEY if entries and entries[0].key_event else HEADING)
        self.set_used(len(entries))
        self.tick(now)

    def tick(self, now: datetime) -> None:
        for entry_id, since in list(self._new_until.items()):
            if (now - since).total_seconds() > HIGHLIGHT_S or entry_id not in self._seen:
                del self._new_until[entry_id]
        for n in range(RECENT_MAX):
            lit = n < len(self._ids) and self._ids[n] in self._new_until
            if lit != self._lit[n]:
                self._lit[n] = lit
                look = f"background: {HIGHLIGHT};" if lit else ""
                self.lefts[n].setStyleSheet(look)
                self.rights[n].setStyleSheet(look)

    def highlighted(self) -> list[str]:
        return [i for i in self._ids if i in self._new_until]


def _entry_text(entry: TimelineEntry) -> str:
    event = entry.amended_event if entry.amended_event is not None else entry.event
    text = " ".join(event.split())
    if entry.amended_event is not None:
        text = f"(amended) {text}"
    if entry.struck:
        text = f"(struck) {text}"
    if entry.owner:
        text += f"  — @{entry.owner}"
    kind = normalize_kind(entry.kind)
    if kind not in (Kind.OBSERVATION, Kind.SYSTEM):  # the wall marks what people decided, asked
        text = f"{ICONS[kind]} {text}"
    return f"{KEY_ICON} {text}" if entry.key_event else text
