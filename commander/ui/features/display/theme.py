"""The war-room theme: dark, high contrast, colour-blind safe, every colour with a word.

Sizes derive from the window height (full screen: the screen's), so the same layout reads
from five metres on a 1366x768 projector and on a 4K wall: ``base = height / 45`` pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from commander.core.deadline_policy import DeadlineState

BACKGROUND = "#000000"
PANEL = "#121416"
FOREGROUND = "#ffffff"
MUTED = "#b8bcc2"  # still > 9:1 on black
HIGHLIGHT = "#0d3a5c"  # a new timeline entry, for a few seconds (blue: safe for every CVD)
LIVE = "#56b4e9"  # Okabe-Ito sky blue, with the word "LIVE"
BASE_DIVISOR = 45
MIN_BASE_PX = 12

# (word, background, foreground) per deadline state: Okabe-Ito hues, distinct in lightness.
STATE_LOOK: dict[DeadlineState, tuple[str, str, str]] = {
    DeadlineState.UPCOMING: ("UPCOMING", PANEL, FOREGROUND),
    DeadlineState.DUE_SOON: ("⚠ DUE SOON", "#e69f00", "#000000"),
    DeadlineState.OVERDUE: ("✖ OVERDUE", "#b8420a", "#ffffff"),  # as the P0 badge: 5.1:1
    DeadlineState.MET: ("✔ MET", "#004d40", "#ffffff"),
    DeadlineState.NOT_APPLICABLE: ("N/A", PANEL, MUTED),
}
STALE_LOOK = ("#b8420a", "#ffffff")


@dataclass(frozen=True)
class Scale:
    """Pixel sizes for one window height."""

    base: int

    @classmethod
    def for_height(cls, height: int) -> Scale:
        return cls(max(MIN_BASE_PX, height // BASE_DIVISOR))

    def px(self, factor: float) -> int:
        return max(MIN_BASE_PX - 2, round(self.base * factor))


def panel_style(background: str = PANEL, foreground: str = FOREGROUND) -> str:
    return f"background: {background}; color: {foreground};"
