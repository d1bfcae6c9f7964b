"""Chart colours per app theme; series colours from the Okabe-Ito palette (colour-blind safe)."""

from __future__ import annotations

from dataclasses import dataclass

from commander.core.impact import Metric

ACCENT = "#3a5b5b"  # the procedure's colour for critical response paths

OKABE_ITO = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")

METRIC_COLOURS: dict[Metric, str] = {
    metric: OKABE_ITO[n % len(OKABE_ITO)] for n, metric in enumerate(Metric)
}
OUTCOME_STYLE: dict[str, tuple[str, str]] = {  # outcome -> (marker, colour)
    "on time": ("o", "#009e73"),
    "late": ("D", "#e69f00"),
    "missed": ("X", "#d55e00"),
    "open": ("o", "#888888"),
}


@dataclass(frozen=True)
class ChartTheme:
    name: str
    background: str
    foreground: str
    grid: str
    band: tuple[str, ...]  # alternating phase band fills
    font_size: float = 9.0


THEMES: dict[str, ChartTheme] = {
    "light": ChartTheme("light", "#ffffff", "#1a1a1a", "#dddddd", ("#eef3f3", "#f8f8f8")),
    "dark": ChartTheme("dark", "#1e1f22", "#e6e6e6", "#3a3c40", ("#26332f", "#24262a")),
    "war-room": ChartTheme(
        "war-room", "#000000", "#ffffff", "#444444", ("#10201f", "#0a0a0a"), font_size=14.0
    ),
}


def style_axes(ax, theme: ChartTheme) -> None:  # type: ignore[no-untyped-def]
    ax.set_facecolor(theme.background)
    ax.tick_params(colors=theme.foreground, labelsize=theme.font_size)
    for spine in ax.spines.values():
        spine.set_color(theme.grid)
    ax.grid(True, color=theme.grid, linewidth=0.6, alpha=0.8)
    ax.yaxis.label.set_color(theme.foreground)
    ax.xaxis.label.set_color(theme.foreground)
    ax.title.set_color(theme.foreground)
