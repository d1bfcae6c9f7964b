"""Charts of the selected incident (impact, response timeline, flowchart) and impact entry.

matplotlib loads on a worker thread shortly after start-up (never on the GUI thread, never
delaying the first window), so the Charts tab draws at once when first shown. A chart is rebuilt
when its data changes, not on the clock's tick; new impact samples are appended to the drawn
lines.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.impact import Metric
from commander.core.records import Incident
from commander.services.charts import ChartDataService
from commander.services.impact import ImpactService
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.tasks import TaskRunner
from commander.ui.common.themes import current_theme
from commander.ui.features.charts.impact_dialog import ImpactDialog

if TYPE_CHECKING:
    from commander.ui.common.chart_view import ChartView

LOAD_DELAY_MS = 800  # let the window settle before the import competes for the CPU
_CHART_MODULES = (
    "commander.charts.impact",
    "commander.charts.response",
    "commander.charts.flowchart",
    "commander.charts.reports",
    "commander.charts.export",
)


def charts_loaded() -> bool:
    return all(name in sys.modules for name in _CHART_MODULES)


def import_charts() -> None:
    """Import the chart modules (and matplotlib) and render a tiny figure, which loads the
    fonts: on a worker, so the GUI never waits and the first real chart draws at once."""
    for name in _CHART_MODULES:
        importlib.import_module(name)
    from io import BytesIO

    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=20)
    figure.add_subplot().set_title("warm-up")
    figure.savefig(BytesIO(), format="png")


CHARTS = (
    ("impact", "Impact over time"),
    ("response", "Response timeline"),
    ("flowchart", "Response flowchart"),
)


def _chart_theme():  # type: ignore[no-untyped-def]
    """The chart colours of the app's current theme (light, dark, war-room)."""
    from commander.charts.theme import THEMES

    return THEMES[current_theme()]


class ChartsPanel(QWidget):
    """Signals:
    sig_local_change: impact was recorded; the window refreshes.
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        data: ChartDataService,
        impact: ImpactService,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data = data
        self._impact = impact
        self._tasks = tasks
        self._loading = False
        # Owned by the panel, so it never fires after the window is gone.
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.setInterval(LOAD_DELAY_MS)
        self._load_timer.timeout.connect(self._start_loading)
        self._load_timer.start()  # preload once the event loop runs: the tab is ready when shown
        self._incident: Incident | None = None
        self._dirty = True
        self.view: ChartView | None = None
        self.impact_chart: Any = None  # commander.charts.impact.ImpactChart when shown
        self.active_dialog: FormDialog | None = None
        self.windows: list[QDialog] = []
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Charts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        bar = QHBoxLayout()
        self.chart_combo = QComboBox(self)
        self.chart_combo.setAccessibleName("Chart")
        for key, label in CHARTS:
            self.chart_combo.addItem(label, key)
        self.chart_combo.currentIndexChanged.connect(lambda _i: self.redraw())
        bar.addWidget(self.chart_combo, 1)
        self.record_button = QPushButton("Record &impact…", self)
        self.record_button.setAccessibleName("Record impact")
        self.record_button.clicked.connect(self.record_impact)
        bar.addWidget(self.record_button)
        self.large_button = QPushButton("Open &large", self)
        self.large_button.setAccessibleName("Open chart in a window")
        self.large_button.clicked.connect(self.open_large)
        bar.addWidget(self.large_button)
        layout.addLayout(bar)
        self.placeholder = QLabel("Select an incident to see its charts.", self)
        layout.addWidget(self.placeholder, 1)
        self._body = layout

    # -- showing -------------------------------------------------------------------------

    @property
    def incident(self) -> Incident | None:
        return self._incident

    def set_incident(self, incident: Incident | None) -> None:
        changed = incident is None or self._incident is None or incident.id != self._incident.id
        self._incident = incident
        if changed:
            self.impact_chart = None
        self._dirty = True
        if self.isVisible():
            self.redraw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.redraw()

    def chart_key(self) -> str:
        return str(self.chart_combo.currentData())

    def redraw(self) -> None:
        """Build the selected chart from the record (first show, incident or data change)."""
        self._dirty = False
        incident = self._incident
        enabled = incident is not None
        self.record_button.setEnabled(enabled)
        self.large_button.setEnabled(enabled)
        if incident is None:
            self.placeholder.show()
            if self.view is not None:
                self.view.hide()
            return
        if not charts_loaded():
            self._load_charts()
            return
        try:
            figure = self._figure(self.chart_key(), incident.id, keep=True)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        view = self._ensure_view()
        canvas = view.set_figure(figure)
        if self.impact_chart is not None and self.chart_key() == "impact":
            self.impact_chart.attach(canvas)
        self.placeholder.hide()
        view.show()

    def _load_charts(self) -> None:
        """Shown before the preload finished: say so, and start it now if it has not begun.

        The import costs ~0.6-1 s; on the GUI thread it would freeze the window, so it runs
        on a worker and the placeholder says so meanwhile.
        """
        self.placeholder.setText("Loading charts…")
        self.placeholder.show()
        self._load_timer.stop()
        self._start_loading()

    def _start_loading(self) -> None:
        if self._loading:
            return
        self._loading = True
        self._tasks.submit(import_charts, self._load_done, self._load_failed)

    def _load_done(self, _result: object) -> None:
        self._loading = False
        if self.isVisible() and self._dirty_or_waiting():
            self.redraw()

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        self.placeholder.setText(f"Charts are unavailable: {exc}")

    def _dirty_or_waiting(self) -> bool:
        return self._dirty or (self.view is None and self._incident is not None)

    def data_changed(self) -> None:
        """The incident's record changed: append new samples, or rebuild what is shown."""
        if not self.isVisible():
            self._dirty = True
            return
        if self.chart_key() == "impact" and self.impact_chart is not None and self._append_new():
            return
        self.redraw()

    def _append_new(self) -> bool:
        """Draw only samples added since the chart was built; False if a rebuild is needed."""
        assert self._incident is not None
        series = self._impact.series(self._incident.id)
        shown = self.impact_chart.data.series
        if set(series) != {m for m, s in shown.items() if s}:
            return False
        for metric, samples in series.items():
            old = shown[metric]
            if samples[: len(old)] != old:
                return False
            for sample in samples[len(old) :]:
                self.impact_chart.append(metric, sample)
        return True

    def _figure(self, key: str, incident_id: str, keep: bool = False):  # type: ignore[no-untyped-def]
        if key == "impact":
            from commander.charts.impact import ImpactChart

            chart = ImpactChart(self._data.impact(incident_id), _chart_theme(), compact=keep)
            if keep:
                self.impact_chart = chart
            return chart.figure
        if key == "response":
            from commander.charts.response import response_figure

            return response_figure(self._data.response(incident_id), _chart_theme())
        from commander.charts.flowchart import flowchart_figure

        return flowchart_figure(self._data.flowchart(incident_id), _chart_theme())

    def _ensure_view(self) -> ChartView:
        if self.view is None:
            from commander.ui.common.chart_view import ChartView

            self.view = ChartView(self)
            self.view.sig_message.connect(self.sig_message)
            self._body.addWidget(self.view, 1)
        return self.view

    def open_large(self) -> QDialog | None:
        """The selected chart in its own resizable window."""
        if self._incident is None:
            return None
        figure = self._figure(self.chart_key(), self._incident.id)
        title = f"{self.chart_combo.currentText()} — {self._incident.ref}"
        return self._window(title, figure)

    def open_reports(self) -> QDialog | None:
        """Response figures across every incident."""
        from commander.charts.reports import reports_figure

        try:
            figure = reports_figure(self._data.metrics(), _chart_theme())
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return None
        return self._window("Reports — all incidents", figure)

    def _window(self, title: str, figure) -> QDialog:  # type: ignore[no-untyped-def]
        from commander.ui.common.chart_view import ChartView

        window = QDialog(self)
        window.setWindowTitle(title)
        window.setAccessibleName(title)
        layout = QVBoxLayout(window)
        view = ChartView(window)
        view.sig_message.connect(self.sig_message)
        view.set_figure(figure)
        layout.addWidget(view)
        window.resize(1100, 560)
        window.show()
        self.windows.append(window)
        window.finished.connect(lambda _r: self.windows.remove(window))
        return window

    # -- recording impact ----------------------------------------------------------------

    def record_impact(self) -> ImpactDialog | None:
        incident = self._incident
        if incident is None:
            return None

        def single(metric: Metric, value: float, time_text: str) -> None:
            at = None
            if time_text.strip():
                from commander.core.impact import parse_time

                ws = self._impact.workspace
                at = parse_time(time_text, now=ws.clock.now(), zone=ws.zone)
            self._impact.add(incident.id, metric, value, at)
            self._after("Impact recorded")

        def paste(metric: Metric, text: str) -> str:
            result, _changes = self._impact.add_rows(incident.id, metric, text)
            note = f"{len(result.samples)} samples recorded"
            if result.skipped:
                lines = ", ".join(str(n) for n, _why in result.skipped[:10])
                note += f"; {len(result.skipped)} rows skipped (lines {lines})"
            self._after(note)
            return note

        dialog = ImpactDialog(single, paste, self)
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _after(self, message: str) -> None:
        self.sig_message.emit(message)
        self.sig_local_change.emit()
