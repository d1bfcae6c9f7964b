"""The response as a band chart: phases in order, deadlines met on time, late or missed."""

from __future__ import annotations

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from commander.charts.data import ResponseTimelineData
from commander.charts.theme import ACCENT, OUTCOME_STYLE, THEMES, ChartTheme, style_axes


def response_figure(data: ResponseTimelineData, theme: ChartTheme | None = None) -> Figure:
    theme = theme or THEMES["light"]
    fig = Figure(figsize=(9, 4.2))
    fig.set_facecolor(theme.background)
    fig.subplots_adjust(left=0.22, right=0.97, top=0.86, bottom=0.36)
    ax = fig.add_subplot(1, 1, 1)
    style_axes(ax, theme)
    labels = [band.label for band in data.phases]
    for row, band in enumerate(data.phases):
        start = mdates.date2num(band.start)
        width = mdates.date2num(band.end) - start
        ax.broken_barh([(start, width)], (row - 0.35, 0.7), color=ACCENT, alpha=0.85)
    ax.set_yticks(range(len(labels)), labels, fontsize=theme.font_size)
    ax.set_ylim(len(labels) - 0.5 if labels else 0.5, -0.5 - (1 if data.deadlines else 0))
    deadline_row = -1
    ends = [b.end for b in data.phases] + ([data.now] if data.now else [])
    starts = [b.start for b in data.phases]
    first = float(mdates.date2num(min(starts))) if starts else 0.0
    last = float(mdates.date2num(max(ends))) if ends else 1.0
    span = (last - first) or 1 / 24
    x_max = last + span * 0.08
    later = []
    for mark in data.deadlines:
        symbol, colour = OUTCOME_STYLE[mark.outcome]
        x = float(mdates.date2num(mark.due))
        if x > x_max:  # due long after the response (the review in a week): noted, not plotted
            later.append(mark)
            continue
        filled = mark.outcome != "open"
        ax.plot(
            [x],
            [deadline_row],
            marker=symbol,
            markersize=9,
            color=colour,
            markerfacecolor=colour if filled else "none",
            linestyle="none",
        )
        if mark.met_at is not None and mark.outcome == "late":
            ax.plot([x, mdates.date2num(mark.met_at)], [deadline_row] * 2, color=colour, lw=1)
    ax.set_xlim(first - span * 0.02, x_max)
    if later:
        note = "Later: " + "; ".join(
            f"{m.name} {m.due.astimezone(data.zone):%a %d %H:%M} ({m.outcome})" for m in later
        )
        ax.text(
            0.0,
            -0.24,
            note,
            transform=ax.transAxes,
            fontsize=theme.font_size - 1,
            color=theme.foreground,
            va="top",
        )
    if data.deadlines:
        ticks = [*range(len(labels))]
        ax.set_yticks([-1, *ticks], ["Deadlines", *labels], fontsize=theme.font_size)
    if data.now is not None:
        ax.axvline(
            float(mdates.date2num(data.now)), color=theme.foreground, linestyle=":", linewidth=1
        )
    locator = mdates.AutoDateLocator(tz=data.zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=data.zone))
    ax.set_xlabel(f"Time ({getattr(data.zone, 'key', data.zone)})")
    handles = [
        Line2D(
            [],
            [],
            marker=OUTCOME_STYLE[o][0],
            color=OUTCOME_STYLE[o][1],
            linestyle="none",
            markerfacecolor="none" if o == "open" else OUTCOME_STYLE[o][1],
            label=o,
        )
        for o in ("on time", "late", "missed", "open")
    ]
    legend = ax.legend(
        handles=handles,
        loc="lower right",
        fontsize=theme.font_size - 1,
        ncols=4,
        frameon=False,
        bbox_to_anchor=(1.0, 1.0),
    )
    for text in legend.get_texts():
        text.set_color(theme.foreground)
    fig.suptitle(
        data.title, color=theme.foreground, fontsize=theme.font_size + 2, x=0.22, ha="left"
    )
    return fig
