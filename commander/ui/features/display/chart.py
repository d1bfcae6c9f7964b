"""The impact chart on the wall, in the war-room theme.

matplotlib is imported on a worker thread after the window is up (it costs ~0.6 s). One chart
is kept per shown incident, so rotating between incidents never rebuilds a figure; new samples
are appended to the drawn lines, and a chart is rebuilt only when a metric appears, a sample
is struck or back-filled, the window is rescaled, or time passes the chart's right edge.

The wall shows the latest hours (``DEFAULT_HOURS``, ``commander display --chart-hours``),
not the whole history: that is what the room acts on, and it is what keeps a display that
runs for days at a constant size. Memory follows what is drawn (the points, and matplotlib's
Agg rasteriser keeps cell blocks as large as the longest line it ever stroked), so a window
that only grew would grow for as long as the incident lasts. When the newest sample or the
clock passes the right edge by ``SLIDE`` of the window, the chart is rebuilt over the latest
window: between rebuilds it holds at most ``1 + SLIDE`` windows of samples (and never more
than ``2 * SAMPLES_SHOWN`` a metric, for fast feeds). An incident younger than its window is
never rebuilt for time alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QWidget

from commander.core.clock import Clock
from commander.core.errors import CommanderError
from commander.services.charts import ChartDataService
from commander.services.impact import ImpactService, ImpactTail
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.charts.charts_panel import charts_loaded, import_charts
from commander.ui.features.display.fit_label import FitLabel
from commander.ui.features.display.theme import MUTED, PANEL, Scale, panel_style

SAMPLES_SHOWN = 2000
DEFAULT_HOURS = 6.0
SLIDE = 0.1  # of the window: how far time passes the right edge before the chart moves on


class _Shown:
    """One incident's chart: the ImpactChart, its canvas, how many samples each metric has
    stored, the last stored sample row it read, and when it must slide to a newer window."""

    def __init__(
        self, chart: Any, canvas: Any, counts: dict[Any, int], last_row: int, slide_at: datetime
    ) -> None:
        self.chart = chart
        self.canvas = canvas
        self.counts = counts
        self.last_row = last_row
        self.slide_at = slide_at


class DisplayChart(QStackedWidget):
    """Page 0 is a note (loading, unavailable); the others are one canvas per incident.

    ``hours``: how much of the latest impact the chart shows; ``clock`` moves it on.
    """

    def __init__(
        self,
        data: ChartDataService,
        impact: ImpactService,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: Clock,
        hours: float = DEFAULT_HOURS,
    ) -> None:
        super().__init__(parent)
        self.span = timedelta(hours=hours)
        self._clock = clock
        self._data = data
        self._impact = impact
        self._tasks = tasks
        self._scale = Scale(16)
        self._loading = False
        self._wanted: str | None = None
        self.charts: dict[str, _Shown] = {}
        self.setAccessibleName("Impact chart")
        self.setStyleSheet(panel_style(PANEL))
        self.note = FitLabel("Loading the impact chart…", self, name="Chart note")
        self.note.setStyleSheet(f"color: {MUTED};")
        self.addWidget(self.note)

    def apply_scale(self, scale: Scale) -> None:
        self.note.set_pixel_size(scale.px(0.9), pad=scale.px(0.4))
        if scale != self._scale:
            self._scale = scale
            for incident_id in list(self.charts):
                self._drop(incident_id)  # fonts follow the screen: draw again at the new size
            if self._wanted is not None:
                self.show_incident(self._wanted)

    def show_incident(self, incident_id: str | None) -> None:
        self._wanted = incident_id
        if incident_id is None:
            self.setCurrentWidget(self.note)
            return
        if not charts_loaded():
            self._load()
            return
        shown = self.charts.get(incident_id)
        if shown is not None and _moves_on(shown, self._clock.now()):
            self._drop(incident_id)  # shown again after a while: on the latest window
            shown = None
        shown = shown or self._build(incident_id)
        if shown is not None:
            self.setCurrentWidget(shown.canvas)

    def keep_only(self, incident_ids: set[str]) -> None:
        """Forget the charts of incidents no longer shown (resolved, or a new pin)."""
        for incident_id in [i for i in self.charts if i not in incident_ids]:
            self._drop(incident_id)

    def data_changed(self, incident_id: str) -> None:
        """New impact samples (or a marker): append to the lines, or rebuild if needed.

        Only samples stored since the last read are read. The chart is rebuilt when the
        counts do not add up (a sample was struck), a metric appears, a sample arrives out
        of time order (a paste, a late sync) or a line passes ``2 * SAMPLES_SHOWN``.
        """
        shown = self.charts.get(incident_id)
        if shown is None:
            return
        try:
            tail = self._impact.series_after(incident_id, shown.last_row)
        except CommanderError:
            return
        newest = max((s.at for samples in tail.new.values() for s in samples), default=None)
        if not _appendable(shown, tail) or (newest is not None and newest >= shown.slide_at):
            self._rebuild(incident_id)
            return
        for metric, samples in tail.new.items():
            for sample in samples:
                shown.chart.append(metric, sample)
        shown.counts = dict(tail.counts)
        shown.last_row = tail.last_row

    def move_now(self, now: datetime) -> None:
        """Move the 'now' line of the shown chart (a minute's resolution is plenty); once the
        chart spans more than its window, move it on to the latest window."""
        incident_id = self._wanted or ""
        shown = self.charts.get(incident_id)
        if shown is None or shown.chart.data.now is None:
            return
        if _moves_on(shown, now):
            self._rebuild(incident_id)
            return
        shown.chart.set_now(now)
        shown.canvas.draw_idle()

    def _rebuild(self, incident_id: str) -> None:
        self._drop(incident_id)
        if incident_id == self._wanted:
            self.show_incident(incident_id)

    def _build(self, incident_id: str) -> _Shown | None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from commander.charts.impact import ImpactChart
        from commander.charts.theme import METRIC_COLOURS, THEMES

        try:
            last_row = self._impact.last_row(incident_id)  # first: a sample stored meanwhile
            data = self._data.impact(incident_id)  # is read twice, never missed, and the
            series = self._impact.series(incident_id)  # counts check then rebuilds
        except CommanderError as err:
            self.note.set_full_text(f"Impact chart unavailable: {err}")
            self.setCurrentWidget(self.note)
            return None
        counts = {metric: len(samples) for metric, samples in series.items()}
        latest = [samples[-1].at for samples in data.series.values() if samples]
        end = max([*latest, *([data.now] if data.now is not None else [])], default=None)
        if end is None:
            end = self._clock.now()
        recorded = bool(data.series)
        cutoff = end - self.span
        older = any(b.start < cutoff for b in data.phases) or any(
            samples[0].at < cutoff for samples in data.series.values() if samples
        )
        data = data.since(cutoff, per_metric=SAMPLES_SHOWN)
        hours = f"{self.span.total_seconds() / 3600:g}"
        if older:  # so nobody takes the left edge for the start of the incident
            data.title += f" · last {hours} h"
        empty = f"No impact recorded in the last {hours} h" if recorded else "No impact recorded"
        # compact: event markers without text (unreadable from across the room anyway)
        theme = replace(THEMES["war-room"], font_size=wall_font_size(self._scale))
        chart = ImpactChart(data, theme, compact=True, empty=empty)
        for metric, ax in chart.axes.items():
            # The metric's name above its panel, never over its line (a label inside the
            # plot sat on the line's start); the unit stays on the axis.
            ax.set_ylabel(metric.unit, fontsize=chart.theme.font_size)
            ax.xaxis.label.set_fontsize(chart.theme.font_size)
            ax.set_title(
                metric.label,
                loc="left",
                color=METRIC_COLOURS[metric],
                fontsize=chart.theme.font_size,
                fontweight="bold",
                pad=2,
            )
        canvas = FigureCanvasQTAgg(chart.figure)
        canvas.setMinimumSize(10, 10)
        canvas.setAccessibleName("Impact chart")
        chart.attach(canvas)
        fit_layout(chart.figure, chart.theme.font_size, len(chart.axes))
        canvas.mpl_connect(
            "resize_event",
            lambda _e: fit_layout(chart.figure, chart.theme.font_size, len(chart.axes)),
        )
        self.addWidget(canvas)
        starts = [samples[0].at for samples in data.series.values()]
        earliest = min([*starts, *(band.start for band in data.phases)], default=end)
        slide_at = max(earliest, cutoff) + self.span * (1 + SLIDE)
        shown = _Shown(chart, canvas, counts, last_row, slide_at)
        self.charts[incident_id] = shown
        return shown

    def _drop(self, incident_id: str) -> None:
        shown = self.charts.pop(incident_id)
        self.removeWidget(shown.canvas)
        shown.canvas.figure.clear()
        shown.canvas.deleteLater()

    def _load(self) -> None:
        self.setCurrentWidget(self.note)
        if self._loading:
            return
        self._loading = True

        def done(_result: object) -> None:
            self._loading = False
            if self._wanted is not None:
                self.show_incident(self._wanted)

        def failed(exc: Exception) -> None:
            self._loading = False
            self.note.set_full_text(f"Impact chart unavailable: {exc}")

        self._tasks.submit(import_charts, done, failed)


def wall_font_size(scale: Scale) -> float:
    """Chart text in points for the wall: follows the window like the other wall text (about
    19 pt at 1080 p after the compact step down), so ticks and names read from across a room."""
    return max(11.0, scale.base * 0.7 + 4)


def fit_layout(figure: Any, font_pt: float, panels: int) -> None:
    """Margins and gaps in inches from the font, so titles and ticks never overlap the lines or
    the panel above, whatever the window size (a fixed fraction did at small heights)."""
    width, height = figure.get_size_inches()
    if width <= 0 or height <= 0:
        return
    line = font_pt * 1.45 / 72  # one line of chart text, in inches
    top = 1 - min(0.4, (2.2 * line) / height)  # the suptitle and the first panel's title
    bottom = min(0.4, (2.6 * line) / height)  # tick labels and the time axis label
    left = min(0.3, (4.5 * line) / width)  # unit label and tick values
    rows = max(panels, 1)
    panel = max((height * (top - bottom) - (rows - 1) * 1.3 * line) / rows, 0.05)
    figure.subplots_adjust(
        left=left, right=0.98, top=top, bottom=bottom, hspace=(1.3 * line) / panel
    )


def _moves_on(shown: _Shown, now: datetime) -> bool:
    """Time alone moves an active incident's chart on; a resolved one's "now" stands still."""
    return shown.chart.data.now is not None and now >= shown.slide_at


def _drawn(shown: _Shown, metric: Any) -> int:
    return len(shown.chart.data.series.get(metric, ()))


def _appendable(shown: _Shown, tail: ImpactTail) -> bool:
    """Whether the new samples can go at the end of the drawn lines as they are."""
    if {m for m, n in tail.counts.items() if n} != {m for m, n in shown.counts.items() if n}:
        return False  # a metric appeared (or its last sample was struck)
    for metric, count in tail.counts.items():
        new = tail.new.get(metric, [])
        if shown.counts.get(metric, 0) + len(new) != count:
            return False  # a sample was struck, or read twice across a rebuild
        if _drawn(shown, metric) + len(new) > 2 * SAMPLES_SHOWN:
            return False
        drawn = shown.chart.data.series.get(metric)
        times = [s.at for s in new]
        if (drawn and times and times[0] < drawn[-1].at) or times != sorted(times):
            return False  # out of time order: a line cannot go back in time
    return True
