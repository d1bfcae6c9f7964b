"""A clock time later today is asked about, never silently logged as yesterday (#18 item 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from commander.core.clock import FakeClock
from commander.services.incidents import IncidentService
from commander.ui.shell.main_window import MainWindow


def test_a_future_time_offers_yesterday_and_logs_nothing_until_chosen(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    declared = incidents.declare(title="DNS down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    clock.advance(timedelta(hours=8, minutes=40))  # 18:40 UTC
    bar = window.timeline_panel.quick_entry
    qtbot.keyClicks(bar.event_edit, "23:59 DNS cut over @bob")
    qtbot.keyClick(bar.event_edit, Qt.Key.Key_Return)
    assert bar.error_label.isVisible()
    assert "23:59 today is in the future" in bar.error_label.text()
    assert "did you mean yesterday 23:59?" in bar.error_label.text()
    assert "before this incident was declared (2026-11-28 10:00)" in bar.error_label.text()
    assert bar.yesterday_button.isVisible()
    assert bar.yesterday_button.text() == "Log at &yesterday 23:59"
    assert bar.event_edit.text() == "23:59 DNS cut over @bob"  # kept, to fix or confirm
    assert len(incidents.timeline(declared.incident.id)) == 1  # nothing guessed

    qtbot.mouseClick(bar.yesterday_button, Qt.MouseButton.LeftButton)
    entries = incidents.timeline(declared.incident.id)
    assert len(entries) == 2
    logged = entries[0]  # the reading the user chose: before the declaration, as they said
    assert logged.occurred_at == datetime(2026, 11, 27, 23, 59, tzinfo=UTC)
    assert logged.owner == "bob"
    assert bar.event_edit.text() == "" and not bar.error_label.isVisible()
    assert not bar.yesterday_button.isVisible()


def test_editing_the_line_takes_the_offer_away(
    qtbot, window: MainWindow, clock: FakeClock, incidents: IncidentService
) -> None:
    declared = incidents.declare(title="DNS down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    bar = window.timeline_panel.quick_entry
    qtbot.keyClicks(bar.event_edit, "11:00 too early")  # it is 10:00
    qtbot.keyClick(bar.event_edit, Qt.Key.Key_Return)
    assert bar.yesterday_button.isVisible()
    qtbot.keyClick(bar.event_edit, Qt.Key.Key_Backspace)
    assert not bar.yesterday_button.isVisible()
    bar.event_edit.setText("09:30 on time")
    qtbot.keyClick(bar.event_edit, Qt.Key.Key_Return)
    assert not bar.error_label.isVisible()
    assert incidents.timeline(declared.incident.id)[0].event == "on time"
