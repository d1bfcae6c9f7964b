"""Across incidents: how fast we acknowledge and resolve, how often, and deadlines kept."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from commander.charts.data import IncidentMetrics
from commander.charts.theme import THEMES, ChartTheme, style_axes
from commander.core.policy import Severity

SEVERITY_COLOURS = {
    Severity.P0: "#d55e00",
    Severity.P1: "#e69f00",
    Severity.P2: "#0072b2",
    Severity.P3: "#56b4e9",
}


def reports_figure(incidents: list[IncidentMetrics], theme: ChartTheme | None = None) -> Figure:
    """Three panels: time to acknowledge/resolve by severity, incidents per week, deadlines met."""
    theme = theme or THEMES["light"]
    fig = Figure(figsize=(11, 4.2))
    fig.set_facecolor(theme.background)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.82, bottom=0.26, wspace=0.35)
    times, weekly, kept = fig.subplots(1, 3)
    for ax in (times, weekly, kept):
        style_axes(ax, theme)
    _strip(times, incidents, theme)
    _per_week(weekly, incidents, theme)
    _deadlines(kept, incidents, theme)
    fig.suptitle(
        f"Response across {len(incidents)} incidents",
        color=theme.foreground,
        fontsize=theme.font_size + 2,
    )
    return fig


def _strip(ax, incidents: list[IncidentMetrics], theme: ChartTheme) -> None:  # type: ignore[no-untyped-def]
    """Each incident a dot: acknowledge (circle) and resolve (square) minutes, by severity."""
    for n, severity in enumerate(Severity):
        group = [i for i in incidents if i.severity is severity]
        colour = SEVERITY_COLOURS[severity]
        ack = [i.minutes_to_acknowledge for i in group if i.minutes_to_acknowledge is not None]
        res = [i.minutes_to_resolve for i in group if i.minutes_to_resolve is not None]
        ax.scatter(
            [n - 0.15] * len(ack),
            ack,
            color=colour,
            marker="o",
            s=30,
            label="acknowledge" if n == 0 else None,
        )
        ax.scatter(
            [n + 0.15] * len(res),
            res,
            color=colour,
            marker="s",
            s=30,
            label="resolve" if n == 0 else None,
        )
    ax.set_xticks(range(4), [f"{s.value}\n{s.level.name}" for s in Severity])
    ax.set_ylim(bottom=0)
    ax.set_ylabel("minutes")
    ax.set_title("Time to acknowledge ● / resolve ■", fontsize=theme.font_size + 1)


def _per_week(ax, incidents: list[IncidentMetrics], theme: ChartTheme) -> None:  # type: ignore[no-untyped-def]
    weeks = sorted({_week(i) for i in incidents})
    counts = Counter((_week(i), i.severity) for i in incidents)
    bottoms = [0] * len(weeks)
    for severity in Severity:
        heights = [counts[(week, severity)] for week in weeks]
        ax.bar(
            range(len(weeks)),
            heights,
            bottom=bottoms,
            color=SEVERITY_COLOURS[severity],
            label=severity.value,
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    ax.set_xticks(range(len(weeks)), [w.strftime("%d %b") for w in weeks], rotation=45)
    ax.set_ylabel("incidents")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Incidents per week (week of)", fontsize=theme.font_size + 1)
    legend = ax.legend(
        fontsize=theme.font_size - 1,
        frameon=False,
        ncols=4,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22),
    )
    for text in legend.get_texts():
        text.set_color(theme.foreground)


def _deadlines(ax, incidents: list[IncidentMetrics], theme: ChartTheme) -> None:  # type: ignore[no-untyped-def]
    shares: list[float | None] = []
    for severity in Severity:
        group = [i for i in incidents if i.severity is severity]
        due = sum(i.deadlines_due for i in group)
        met = sum(i.deadlines_met_on_time for i in group)
        shares.append((100.0 * met / due) if due else None)
    heights = [share or 0.0 for share in shares]
    bars = ax.bar(range(4), heights, color=[SEVERITY_COLOURS[s] for s in Severity])
    for bar, share in zip(bars, shares, strict=True):
        ax.annotate(
            "none due" if share is None else f"{share:.0f} %",
            (bar.get_x() + bar.get_width() / 2, share or 0.0),
            ha="center",
            va="bottom",
            fontsize=theme.font_size - (1 if share is None else 0),
            color=theme.foreground,
        )
    ax.set_xticks(range(4), [s.value for s in Severity])
    ax.set_ylim(0, 110)
    ax.set_ylabel("% of deadlines met on time")
    ax.set_title("Deadlines met on time", fontsize=theme.font_size + 1)


def _week(incident: IncidentMetrics):  # type: ignore[no-untyped-def]
    day = incident.declared_at.date()
    return day - timedelta(days=day.weekday())
