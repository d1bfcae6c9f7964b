"""The demo's Outbox agrees with its timeline: the updates it says were sent are there (#18)."""

from __future__ import annotations

from commander.ui.shell.main_window import MainWindow


def test_the_demo_outbox_shows_the_updates_its_timeline_says_were_sent(
    window: MainWindow,
) -> None:
    window.incident_commands.load_demo()
    panel = window.comms.outbox_panel
    assert panel.model.rowCount() == 9
    assert "0 waiting · 9 sent · 0 failed" in panel.summary_label.text()
