"""Impact over time: one panel per metric, phases as bands, severity changes and key events.

Live updates append to the existing lines (``ImpactChart.append``) instead of building the
figure again, so a new sample costs a redraw, not a rebuild.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from commander.charts.data import ImpactChartData
from commander.charts.theme import ACCENT, METRIC_COLOURS, THEMES, ChartTheme, style_axes
from commander.core.impact import P1_CUSTOMER_THRESHOLD_PCT, Metric, Sample

MARKERS_MAX = 500
DRAW_BUCKETS = 400  # a min/max pair per ~2 px of plot width keeps the envelope
HEADROOM = 0.10  # room to grow, so live samples rarely move the axes limits
EVENT_LABELS_MAX = 60  # beyond this, events are markers without text (legibility, speed)


class ImpactChart:
    """The impact figure of one incident, kept so it can be updated in place."""

    def __init__(
        self,
        data: ImpactChartData,
        theme: ChartTheme | None = None,
        *,
        compact: bool = False,
        empty: str = "No impact recorded yet",
    ) -> None:
        """``compact``: for a narrow panel: smaller text, event markers without labels;
        ``empty``: what an incident without samples says instead of a chart."""
        self.data = data
        self.empty = empty
        theme = theme or THEMES["light"]
        self.theme = replace(theme, font_size=theme.font_size - 2) if compact else theme
        self.compact = compact
        # A fixed layout: "constrained" recomputes on every draw and tripled the redraw time.
        self.figure = Figure(figsize=(5, 4) if compact else (9, 5))
        if compact:
            self.figure.subplots_adjust(left=0.2, right=0.96, top=0.86, bottom=0.13, hspace=0.15)
        else:
            self.figure.subplots_adjust(left=0.12, right=0.97, top=0.66, bottom=0.11, hspace=0.12)
        self.axes: dict[Metric, Axes] = {}
        self.lines: dict[Metric, Line2D] = {}
        self._xs: dict[Metric, list[float]] = {}
        self._ys: dict[Metric, list[float]] = {}
        self.now_lines: list[Line2D] = []
        self.open_bands: list[Rectangle] = []  # the current phase, drawn up to "now"
        self.event_artists: list[object] = []
        self.build()

    def build(self) -> None:
        """Draw everything from ``data`` (first time, or when a new metric appears)."""
        fig, theme, data = self.figure, self.theme, self.data
        fig.clear()
        fig.set_facecolor(theme.background)
        self.axes.clear()
        self.lines.clear()
        self.now_lines.clear()
        self.open_bands.clear()
        self.event_artists.clear()
        metrics = [m for m in Metric if data.series.get(m)]
        if not metrics:
            ax = fig.add_subplot(1, 1, 1)
            style_axes(ax, theme)
            ax.text(
                0.5,
                0.5,
                self.empty,
                ha="center",
                va="center",
                transform=ax.transAxes,
                color=theme.foreground,
                fontsize=theme.font_size + 2,
            )
            ax.set_xticks([])
            ax.set_yticks([])
            fig.suptitle(data.title, color=theme.foreground, fontsize=theme.font_size + 2)
            return
        grid = fig.subplots(len(metrics), 1, sharex=True, squeeze=False)
        for ax, metric in zip(grid[:, 0], metrics, strict=True):
            self._draw_metric(ax, metric)
        top = self.axes[metrics[0]]
        self._draw_markers(top)
        bottom = self.axes[metrics[-1]]
        locator = mdates.AutoDateLocator(tz=data.zone)
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=data.zone))
        bottom.set_xlabel(f"Time ({getattr(data.zone, 'key', data.zone)})")
        fig.suptitle(
            data.title,
            color=theme.foreground,
            fontsize=theme.font_size + 2,
            x=0.01,
            y=0.995,
            ha="left",
            va="top",
        )

    def _draw_metric(self, ax: Axes, metric: Metric) -> None:
        theme, data = self.theme, self.data
        style_axes(ax, theme)
        for n, band in enumerate(data.phases):
            patch = ax.axvspan(
                _num(band.start), _num(band.end), color=theme.band[n % 2], zorder=0, linewidth=0
            )
            if data.now is not None and n == len(data.phases) - 1 and band.end >= data.now:
                self.open_bands.append(patch)
        samples = sorted(data.series[metric], key=lambda s: s.at)
        xs = list(mdates.date2num([s.at for s in samples]))
        ys = [s.value for s in samples]
        colour = METRIC_COLOURS[metric]
        dots = "o" if len(xs) <= MARKERS_MAX else None  # dots help few samples, cost many
        (line,) = ax.plot(
            *decimate(xs, ys),
            color=colour,
            marker=dots,
            markersize=3,
            linewidth=1.6,
            label=metric.label,
            zorder=3,
            animated=True,
        )
        # Room to grow, so live samples rarely move the limits (a move means a full redraw).
        starts = [xs[0], *(_num(b.start) for b in data.phases)]
        ends = [xs[-1], *(_num(b.end) for b in data.phases)]
        if data.now is not None:
            ends.append(_num(data.now))
        first, last = min(starts), max(ends)
        span = (last - first) or 1 / 24
        ax.set_xlim(first - span * 0.02, last + span * HEADROOM)
        top = max(ys) if ys else 1.0
        ax.set_ylim(0, (top or 1.0) * (1 + HEADROOM))
        ax.set_ylabel(f"{metric.label}\n({metric.unit})", fontsize=theme.font_size)
        if metric is Metric.CUSTOMERS_PCT:
            ax.axhline(P1_CUSTOMER_THRESHOLD_PCT, color=ACCENT, linestyle="--", linewidth=1)
            ax.text(
                xs[0],
                P1_CUSTOMER_THRESHOLD_PCT,
                " P1 threshold 25 %",
                va="bottom",
                color=ACCENT,
                fontsize=theme.font_size - 1,
            )
        if data.now is not None:
            self.now_lines.append(
                ax.axvline(_num(data.now), color=theme.foreground, linestyle=":", linewidth=1)
            )
        self.axes[metric], self.lines[metric] = ax, line
        self._xs[metric], self._ys[metric] = xs, ys

    def _draw_markers(self, top: Axes) -> None:
        theme, data = self.theme, self.data
        x0, x1 = top.get_xlim()
        events = [m for m in data.markers if m.kind != "severity" and x0 <= _num(m.at) <= x1]
        label_events = len(events) <= EVENT_LABELS_MAX and not self.compact
        for marker in data.markers:
            if marker.kind == "severity":
                for ax in self.axes.values():
                    ax.axvline(_num(marker.at), color="#d55e00", linewidth=1.2, zorder=2)
                self.event_artists.append(
                    top.annotate(
                        marker.label,
                        (mdates.date2num(marker.at), 1.0),
                        xycoords=("data", "axes fraction"),
                        xytext=(2, 2),
                        textcoords="offset points",
                        color="#d55e00",
                        fontsize=theme.font_size,
                        fontweight="bold",
                        annotation_clip=False,
                    )
                )
        if events:
            xs = mdates.date2num([m.at for m in events])
            self.event_artists.append(
                top.scatter(
                    xs,
                    [1.0] * len(events),
                    marker="v",
                    s=28,
                    color=ACCENT,
                    transform=top.get_xaxis_transform(),
                    zorder=4,
                    clip_on=False,
                )
            )
            if label_events:
                self._label_events(top, xs, events)

    def _label_events(self, top: Axes, xs, events) -> None:  # type: ignore[no-untyped-def]
        """Up to three rows of labels above the top panel, each placed in the first row where
        it does not overlap the previous label; a label with no room is left out (its marker
        stays, and the timeline has the full text)."""
        theme = self.theme
        x0, x1 = top.get_xlim()
        width_in = top.get_position().width * self.figure.get_figwidth()
        char_in = (theme.font_size - 2) * 0.62 / 72  # an average glyph, in inches
        per_char = (x1 - x0) * char_in / max(width_in, 0.1)
        row_ends = [float("-inf")] * 3
        for x, marker in zip(xs, events, strict=True):
            text = _short(marker.label)
            row = next((r for r, end in enumerate(row_ends) if x > end), None)
            if row is None:
                continue
            row_ends[row] = x + per_char * (len(text) + 2)
            self.event_artists.append(
                top.annotate(
                    text,
                    (x, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(-3, 9 + 11 * row),
                    textcoords="offset points",
                    fontsize=theme.font_size - 2,
                    color=theme.foreground,
                    annotation_clip=False,
                )
            )

    # -- live updates (matplotlib's blitting pattern) -----------------------------------------

    def attach(self, canvas) -> None:  # type: ignore[no-untyped-def]
        """Draw the lines over a cached background after every full draw of ``canvas``."""
        self.canvas = canvas
        self._backgrounds: dict[Metric, object] = {}
        canvas.mpl_connect("draw_event", self._on_draw)

    def _on_draw(self, _event) -> None:  # type: ignore[no-untyped-def]
        canvas = self.canvas
        self._backgrounds = {m: canvas.copy_from_bbox(ax.bbox) for m, ax in self.axes.items()}
        for metric, ax in self.axes.items():
            ax.draw_artist(self.lines[metric])

    def append(self, metric: Metric, sample: Sample) -> None:
        """Add one live sample: redraw only its line when it fits the axes, else everything."""
        self.data.series.setdefault(metric, []).append(sample)
        line = self.lines.get(metric)
        if line is None:  # a metric not shown yet: a new panel
            self.build()
            self._redraw_all()
            return
        x, y = float(mdates.date2num(sample.at)), sample.value
        self._xs[metric].append(x)
        self._ys[metric].append(y)
        line.set_data(*decimate(self._xs[metric], self._ys[metric]))
        if len(self._xs[metric]) > MARKERS_MAX:
            line.set_marker("None")  # a live line that grew long: dots would only cost
        ax = self.axes[metric]
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        background = getattr(self, "_backgrounds", {}).get(metric)
        if background is None or not (x0 <= x <= x1 and y0 <= y <= y1):
            span = x1 - x0
            ax.set_xlim(x0, max(x1, x + span * HEADROOM))
            ax.set_ylim(y0, max(y1, y * (1 + HEADROOM)))
            self._redraw_all()
            return
        self.canvas.restore_region(background)
        ax.draw_artist(line)
        self.canvas.blit(ax.bbox)

    def _redraw_all(self) -> None:
        canvas = getattr(self, "canvas", None)
        if canvas is not None:
            canvas.draw()

    def set_now(self, now: datetime | None) -> None:
        """Move the 'now' line (a resolved incident has none), widening the time axis when
        the line would leave it; the caller redraws."""
        for line in self.now_lines:
            line.set_xdata([mdates.date2num(now)] * 2 if now else [])
        if now is None or not self.now_lines:
            return
        x = _num(now)
        for patch in self.open_bands:  # the phase goes on until now
            patch.set_width(max(patch.get_width(), x - patch.get_x()))
        for ax in self.axes.values():
            x0, x1 = ax.get_xlim()
            if x > x1:
                ax.set_xlim(x0, x + (x - x0) * HEADROOM)


def _short(label: str, limit: int = 18) -> str:
    for prefix, short in (
        ("Deadline met: ", "✔ "),
        ("Deadline missed: ", "✖ "),
        ("Status changed: ", ""),
        ("Internal update sent", "Update sent"),
    ):
        label = label.replace(prefix, short)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _num(when: datetime) -> float:
    """Matplotlib's date number (typed: the stubs want floats for axvline and axvspan)."""
    return float(mdates.date2num(when))


def decimate(
    xs: list[float], ys: list[float], buckets: int = DRAW_BUCKETS
) -> tuple[np.ndarray, np.ndarray]:
    """Keep each bucket's lowest and highest point: the drawn line looks the same at screen
    resolution (every spike survives) and costs a fraction to draw."""
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if len(x) <= 2 * buckets:
        return x, y
    size = len(x) // buckets
    cut = size * buckets
    xb, yb = x[:cut].reshape(buckets, size), y[:cut].reshape(buckets, size)
    rows = np.arange(buckets)
    lo, hi = yb.argmin(axis=1), yb.argmax(axis=1)
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)  # keep time order within a bucket
    keep_x = np.column_stack((xb[rows, first], xb[rows, second])).ravel()
    keep_y = np.column_stack((yb[rows, first], yb[rows, second])).ravel()
    return np.concatenate((keep_x, x[cut:])), np.concatenate((keep_y, y[cut:]))


def impact_figure(data: ImpactChartData, theme: ChartTheme | None = None) -> Figure:
    return ImpactChart(data, theme).figure
