"""charts.theme: each app theme's colours applied to an axes, and the fixed palettes."""

from __future__ import annotations

from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from commander.charts.theme import METRIC_COLOURS, OKABE_ITO, OUTCOME_STYLE, THEMES, style_axes
from commander.core.impact import Metric


def test_style_axes_paints_the_background_ticks_spines_and_labels_in_the_theme() -> None:
    theme = THEMES["dark"]
    ax = Figure().add_subplot()
    ax.set_title("Impact")
    ax.set_ylabel("Error rate")
    style_axes(ax, theme)
    assert to_hex(ax.get_facecolor()) == "#1e1f22"
    assert {to_hex(spine.get_edgecolor()) for spine in ax.spines.values()} == {"#3a3c40"}
    assert to_hex(ax.title.get_color()) == "#e6e6e6"
    assert to_hex(ax.yaxis.label.get_color()) == "#e6e6e6"
    tick = ax.xaxis.get_major_ticks()[0]
    assert to_hex(tick.label1.get_color()) == "#e6e6e6"
    assert tick.label1.get_fontsize() == 9.0
    gridline = ax.xaxis.get_gridlines()[0]
    assert gridline.get_visible() and to_hex(gridline.get_color()) == "#3a3c40"


def test_the_war_room_theme_draws_large_text_on_black() -> None:
    ax = Figure().add_subplot()
    style_axes(ax, THEMES["war-room"])
    assert to_hex(ax.get_facecolor()) == "#000000"
    assert ax.xaxis.get_major_ticks()[0].label1.get_fontsize() == 14.0


def test_every_metric_has_a_palette_colour_and_every_outcome_a_marker() -> None:
    assert set(METRIC_COLOURS) == set(Metric)
    assert set(METRIC_COLOURS.values()) <= set(OKABE_ITO)
    assert METRIC_COLOURS[next(iter(Metric))] == "#0072b2"
    assert OUTCOME_STYLE["missed"] == ("X", "#d55e00")
    assert [OUTCOME_STYLE[o][0] for o in ("on time", "late", "missed", "open")] == [
        "o",
        "D",
        "X",
        "o",
    ]
