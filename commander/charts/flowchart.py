"""The procedure's response flow, with the critical path for the incident's severity in #3a5b5b.

The main path is the procedure's phases; the branches are what the severity demands beside it
(executive, management or team-lead notification, customer and partner communication, the
Security Lead). Required steps are drawn in the accent colour, the rest muted and dashed, and
the incident's current step carries a "now" marker. Every node has a ``gid`` so tests and the UI
can find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from commander.charts.data import FlowchartData
from commander.charts.theme import ACCENT, THEMES, ChartTheme
from commander.core.policy import Phase, Severity

MUTED = "#9a9a9a"


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    x: float
    y: float


MAIN_PATH = (
    Node("detection", "Detection\n(alert, report)", 0.0, 2.0),
    Node("initial", "Initial response\nack · assess · team", 1.6, 2.0),
    Node("investigation", "Investigation\n& diagnosis", 3.2, 2.0),
    Node("containment", "Containment\n& mitigation", 4.8, 2.0),
    Node("resolution", "Resolution\n& recovery", 6.4, 2.0),
    Node("review", "Post-incident\nreview (1 week)", 8.0, 2.0),
)
BRANCHES = (
    Node("executive", "Executive\nnotification (now)", 0.0, 0.45),
    Node("management", "Management\nnotification (1 h)", 1.6, 0.45),
    Node("team_lead", "Team lead\nnotification", 3.2, 0.45),
    Node("customer", "Customer\ncomms (1 h)", 4.8, 0.45),
    Node("partner", "Partner\ncomms (30 min)", 6.4, 0.45),
    Node("security", "Security Lead\nengaged", 8.0, 0.45),
)
PHASE_NODE = {
    Phase.DETECTION: "initial",
    Phase.INVESTIGATION: "investigation",
    Phase.CONTAINMENT: "containment",
    Phase.RESOLUTION: "resolution",
    Phase.POST_INCIDENT: "review",
}


def critical_path(data: FlowchartData) -> set[str]:
    """The nodes the procedure requires for this incident."""
    required = {node.key for node in MAIN_PATH}
    if data.severity is Severity.P0:
        required |= {"executive", "customer"}
    elif data.severity is Severity.P1:
        required |= {"management", "customer"}
    elif data.severity is Severity.P2:
        required.add("team_lead")
    if data.partners_affected:
        required.add("partner")
    if data.security_related:
        required.add("security")
    return required


def flowchart_figure(data: FlowchartData, theme: ChartTheme | None = None) -> Figure:
    theme = theme or THEMES["light"]
    fig = Figure(figsize=(11, 4.2))
    fig.set_facecolor(theme.background)
    ax = fig.add_axes((0.01, 0.02, 0.98, 0.86))
    ax.set_xlim(-0.8, 8.8)
    ax.set_ylim(-0.3, 2.9)
    ax.set_axis_off()
    required = critical_path(data)
    current = PHASE_NODE[data.phase]
    for node in (*MAIN_PATH, *BRANCHES):
        _draw_node(ax, node, node.key in required, node.key == current, theme)
    for left, right in pairwise(MAIN_PATH):
        _arrow(
            ax, (left.x + 0.62, left.y), (right.x - 0.62, right.y), True, f"{left.key}>{right.key}"
        )
    initial = MAIN_PATH[1]
    for branch in BRANCHES:
        start = (initial.x, initial.y - 0.36)
        end = (branch.x, branch.y + 0.34)
        _arrow(ax, start, end, branch.key in required, f"initial>{branch.key}", curved=True)
    fig.suptitle(
        f"Response flow — {data.severity.value} {data.severity.level.name}: "
        "critical path highlighted",
        color=theme.foreground,
        fontsize=theme.font_size + 2,
    )
    return fig


def _draw_node(ax, node: Node, critical: bool, current: bool, theme: ChartTheme) -> None:  # type: ignore[no-untyped-def]
    colour = ACCENT if critical else MUTED
    box = FancyBboxPatch(
        (node.x - 0.62, node.y - 0.34),
        1.24,
        0.68,
        boxstyle="round,pad=0.02,rounding_size=0.08",
        linewidth=3.2 if current else (2.0 if critical else 1.0),
        linestyle="-" if critical else "--",
        edgecolor=colour,
        facecolor=ACCENT if current else theme.background,
    )
    box.set_gid(f"node:{node.key}")
    ax.add_patch(box)
    text_colour = "#ffffff" if current else (theme.foreground if critical else MUTED)
    ax.text(
        node.x,
        node.y,
        node.label,
        ha="center",
        va="center",
        color=text_colour,
        fontsize=theme.font_size - 0.5,
        fontweight="bold" if critical else "normal",
    )
    if current:
        ax.annotate(
            "now ▼",
            (node.x, node.y + 0.36),
            ha="center",
            va="bottom",
            color=ACCENT,
            fontsize=theme.font_size,
            fontweight="bold",
        )


def _arrow(ax, start, end, critical: bool, gid: str, curved: bool = False) -> None:  # type: ignore[no-untyped-def]
    arrow = FancyArrowPatch(
        start,
        end,
        arrowstyle="-|>",
        mutation_scale=14,
        linewidth=2.2 if critical else 1.0,
        linestyle="-" if critical else "--",
        color=ACCENT if critical else MUTED,
        connectionstyle="arc3,rad=0.0" if not curved else "angle3,angleA=0,angleB=90",
    )
    arrow.set_gid(f"edge:{gid}")
    ax.add_patch(arrow)
