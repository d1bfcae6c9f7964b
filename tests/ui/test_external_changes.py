"""What another process writes reaches an open window on its next refresh (#18 item 14).

``commander alerts ingest`` runs as a real process; the timeline is written through a second
``Workspace`` on the same file, as the CLI does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest

from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"
BIN = Path(sys.executable).with_name("commander")


@pytest.mark.slow
def test_alerts_ingested_by_the_cli_appear_and_are_announced(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    feature = window.monitoring
    assert feature.alert_model.rowCount() == 0 and not feature.dock.isVisible()
    env = {**os.environ, "COMMANDER_DATA_DIR": str(workspace.data_dir), "COMMANDER_AUTHOR": "cli"}
    done = subprocess.run(
        [str(BIN), "alerts", "ingest", str(FIXTURES / "alertmanager_webhook_v4.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    window.refresh()
    assert feature.alert_model.rowCount() == 1
    assert feature.alert_model.view_at(0).alert.name == "ProbeFailure"
    assert feature.dock.isVisible()
    assert window.notifier.sent[-1][0] == "1 new alert firing"
    assert feature.tabs.tabText(0) == "Alerts (1 firing)"
    sent = len(window.notifier.sent)
    window.refresh()  # nothing new: no second notice
    assert len(window.notifier.sent) == sent


def test_poll_now_without_sources_says_so_and_shows_what_is_stored(
    window: MainWindow, workspace: Workspace
) -> None:
    import json

    from commander.services.alerts import AlertService

    feature = window.monitoring
    other = Workspace.open(Path(workspace.data_dir), author="cli", clock=workspace.clock, zone=UTC)
    try:
        payload = json.loads((FIXTURES / "alertmanager_webhook_v4.json").read_text())
        AlertService(other).ingest_payload(payload)
    finally:
        other.close()
    feature.alerts_panel.poll_button.click()
    status = feature.alerts_panel.status_label.text()
    assert "No alert sources are set up, so there is nothing to poll" in status
    assert "commander alerts ingest" in status
    assert "nothing to poll" in window.statusBar().currentMessage()
    assert feature.alert_model.rowCount() == 1  # and what another process stored is shown


def test_timeline_left_at_the_newest_entry_follows_entries_from_the_cli(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    declared = window._service.declare(title="API down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    for number in range(60):
        window._service.log(declared.incident.id, f"line {number}")
    window.refresh()
    table = window.timeline_panel.table
    bar = table.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    window.resize(1280, 600)  # the table gets shorter (a dock opens, the window shrinks)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() and bar.maximum() > 0, timeout=2000)
    other = Workspace.open(Path(workspace.data_dir), author="cli", clock=workspace.clock, zone=UTC)
    try:
        IncidentService(other).log(declared.incident.id, "from the CLI")
    finally:
        other.close()
    window.refresh()
    last = window.timeline_model.rowCount() - 1
    assert window.timeline_model.entry_at(last).event == "from the CLI"
    assert bar.value() == bar.maximum()
    row_rect = table.visualRect(window.timeline_model.index(last, 0))
    assert table.viewport().rect().contains(row_rect.center())

    bar.setValue(0)  # the reader scrolled up to read: new entries must not yank the view
    other = Workspace.open(Path(workspace.data_dir), author="cli", clock=workspace.clock, zone=UTC)
    try:
        IncidentService(other).log(declared.incident.id, "another from the CLI")
    finally:
        other.close()
    window.refresh()
    assert bar.value() == 0
