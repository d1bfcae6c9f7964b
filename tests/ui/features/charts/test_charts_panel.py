"""Charts embedded in the window: shown, updated live, exported; impact recorded by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from commander.core.impact import Metric
from commander.services.impact import ImpactService
from commander.ui.features.charts.impact_dialog import ImpactDialog
from commander.ui.shell.main_window import MainWindow


def _open_charts(qtbot, window: MainWindow, incidents):  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Auth failures", severity="P1").incident
    window.refresh()
    window.select_incident(incident.id)
    window.side_tabs.setCurrentWidget(window.charts_panel)
    panel = window.charts_panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.isVisible(), timeout=5000)
    return incident, panel


def test_impact_recorded_in_the_dialog_appears_in_the_chart(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    incident, panel = _open_charts(qtbot, window, incidents)
    dialog = panel.record_impact()
    assert isinstance(dialog, ImpactDialog)
    dialog.metric_combo.setCurrentIndex(dialog.metric_combo.findData(Metric.CUSTOMERS_PCT))
    dialog.value_edit.setText("40")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    window.refresh()
    assert panel.impact_chart is not None
    line = panel.impact_chart.lines[Metric.CUSTOMERS_PCT]
    assert list(line.get_ydata()) == [40.0]
    ImpactService(window._ws).add(incident.id, Metric.CUSTOMERS_PCT, 35)  # e.g. from the CLI
    chart_before = panel.impact_chart
    window.refresh()
    assert panel.impact_chart is chart_before  # appended, not rebuilt
    assert list(line.get_ydata()) == [40.0, 35.0]


def test_bad_impact_input_stays_in_the_dialog(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    _incident, panel = _open_charts(qtbot, window, incidents)
    dialog = panel.record_impact()
    dialog.metric_combo.setCurrentIndex(dialog.metric_combo.findData(Metric.ERROR_RATE))
    dialog.value_edit.setText("140")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "above 100" in dialog.error_label.text()
    dialog.value_edit.clear()
    dialog.paste_edit.setPlainText("10:00,5\nnot a row\n10:01,6")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert "2 samples recorded; 1 rows skipped (lines 2)" in dialog.skipped_note


def test_every_chart_kind_shows_and_exports(qtbot, window, incidents, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _incident, panel = _open_charts(qtbot, window, incidents)
    for index in range(panel.chart_combo.count()):
        panel.chart_combo.setCurrentIndex(index)
        assert panel.view.figure is not None and panel.view.figure.axes
    out = tmp_path / "flow.svg"
    assert panel.view.export(str(out))
    assert "<svg" in out.read_text()
    large = panel.open_large()
    assert large is not None and large.isVisible()
    large.close()
    reports = panel.open_reports()
    assert reports is not None and "Reports" in reports.windowTitle()
    reports.close()


def test_matplotlib_is_not_imported_at_start(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from commander.app import build_main_window\n"
        "from commander.services.workspace import Workspace\n"
        "from commander.services.demo.create import create_demo\n"
        "app = QApplication([])\n"
        "ws = Workspace.open(Path(sys.argv[1]), author='t')\n"
        "create_demo(ws)\n"
        "win = build_main_window(ws)\n"
        "win.show()\n"
        "app.processEvents()\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


PRELOAD = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from commander.app import build_main_window
from commander.services.workspace import Workspace
from commander.services.demo.create import create_demo
from commander.ui.features.charts.charts_panel import charts_loaded
app = QApplication([])
ws = Workspace.open(Path(sys.argv[1]), author='t')
create_demo(ws)
win = build_main_window(ws)
win.show()
start = time.perf_counter()  # real clock: measures how soon the preload finishes
# real clock: waits for the preload on the worker (a subprocess with its own event loop)
while not charts_loaded() and time.perf_counter() - start < 20:
    app.processEvents()
    time.sleep(0.01)
# real clock: the same wait, for the worker's result to reach the GUI thread
while win.charts_panel._loading and time.perf_counter() - start < 20:
    app.processEvents()
    time.sleep(0.01)
shown = time.perf_counter()  # real clock: the tab is drawn in one pass, no loading wait
win.side_tabs.setCurrentWidget(win.charts_panel)
app.processEvents()
panel = win.charts_panel
# real clock: how long showing the tab took
print(charts_loaded(), panel.view is not None and panel.view.isVisible(),
      round(time.perf_counter() - shown, 2))
win.close()
"""


def test_charts_preload_after_start_so_the_tab_draws_at_once(tmp_path: Path) -> None:
    """The Charts tab said "Loading charts…" for seconds: the import now runs on a worker
    right after start-up, so showing the tab draws the chart in the same event-loop pass."""
    result = subprocess.run(
        [sys.executable, "-c", PRELOAD, str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    loaded, drawn, seconds = result.stdout.split()
    assert loaded == "True" and drawn == "True"
    assert float(seconds) < 1.0
