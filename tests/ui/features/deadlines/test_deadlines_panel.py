"""The timers panel: ticking countdowns, alerts, meeting and snoozing deadlines."""

from __future__ import annotations

from datetime import timedelta

from commander.core.clock import FakeClock
from commander.core.deadlines import DeadlineKind, format_countdown
from commander.services.incidents import IncidentService
from commander.ui.features.deadlines.deadline_dialogs import MeetDialog, SnoozeDialog
from commander.ui.features.deadlines.deadline_model import COL_DUE, COL_LEFT, COL_NAME
from commander.ui.shell.main_window import MainWindow


def _open(window: MainWindow, incidents: IncidentService, severity: str = "P1"):  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Auth failures", severity=severity).incident
    window.refresh()
    window.select_incident(incident.id)
    return incident, window.deadlines_panel


def _cell(panel, key: str, column: int) -> str:  # type: ignore[no-untyped-def]
    row = panel.model.row_of(key)
    return panel.model.index(row, column).data()


def test_every_deadline_is_listed_with_its_countdown(qtbot, window, incidents, clock) -> None:  # type: ignore[no-untyped-def]
    _incident, panel = _open(window, incidents)
    assert panel.model.rowCount() == len(DeadlineKind)
    assert _cell(panel, "escalation", COL_NAME) == "Management notification"
    assert _cell(panel, "response", COL_DUE) == "10:30"
    assert _cell(panel, "response", COL_LEFT) == "30:00"
    assert panel.state_text("partner_comms") == "Not applicable"
    clock.advance(61)
    panel.tick()
    assert _cell(panel, "response", COL_LEFT) == "28:59"
    assert panel.summary_label.text() == "Next: <b>Acknowledge</b> in 28:59"


def test_no_drift_after_an_hour(qtbot, window, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    _incident, panel = _open(window, incidents, "P3")
    due = panel.model.deadline_at(panel.model.row_of("response")).due
    clock.advance(3600)
    panel.tick()
    assert _cell(panel, "response", COL_LEFT) == format_countdown(due - clock.now())


def test_due_soon_and_overdue_alert_once_and_log_once(
    qtbot, window, incidents, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    incident, panel = _open(window, incidents)
    clock.advance(timedelta(minutes=26))
    panel.tick()
    assert panel.state_text("response") == "⚠ Due soon"
    titles = [title for title, _text in window.notifier.sent]
    assert any(t.endswith("Acknowledge due soon") for t in titles)
    assert panel.flash_timer.isActive()
    window.notifier.sent.clear()
    panel.tick()
    assert window.notifier.sent == []  # no second alert for the same state
    clock.advance(timedelta(minutes=6))  # 32 min: overdue by 2 min
    panel.tick()
    assert panel.state_text("response") == "✖ Overdue"
    assert _cell(panel, "response", COL_LEFT).startswith("+")
    assert any(t.endswith("Acknowledge overdue") for t, _text in window.notifier.sent)
    window.refresh()
    missed = [e for e in incidents.timeline(incident.id) if e.event.startswith("Deadline missed")]
    assert sorted(e.event for e in missed) == [
        "Deadline missed: Acknowledge was due 10:30",
        "Deadline missed: Internal update was due 10:30",
    ]
    clock.advance(5)
    panel.tick()
    panel.reload()
    missed = [e for e in incidents.timeline(incident.id) if e.event.startswith("Deadline missed")]
    assert len(missed) == 2  # each logged once


def test_meet_and_update_from_the_panel(qtbot, window, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident, panel = _open(window, incidents)
    clock.advance(600)
    panel.select("escalation")
    dialog = panel.meet_current()
    assert isinstance(dialog, MeetDialog)
    assert dialog.how_edit.text() == "Management notified"
    dialog.how_edit.setText("VP Engineering on the bridge")
    dialog.buttons.accepted.emit()
    assert panel.state_text("escalation") == "✔ Met 10:10"
    window.refresh()
    events = [e.event for e in incidents.timeline(incident.id)]
    assert "Deadline met: Management notification" in events
    clock.advance(600)
    panel.update_button.click()
    assert _cell(panel, "internal_update", COL_LEFT) == "30:00"


def test_snooze_needs_a_reason(qtbot, window, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    _incident, panel = _open(window, incidents)
    panel.select("customer_comms")
    dialog = panel.snooze_current()
    assert isinstance(dialog, SnoozeDialog)
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "Reason" in dialog.error_label.text()
    dialog.reason_edit.setText("Status page vendor is down too")
    dialog.minutes_spin.setValue(20)
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    deadline = panel.model.deadline_at(panel.model.row_of("customer_comms"))
    assert deadline.snoozed_until == clock.now() + timedelta(minutes=20)


def test_elapsed_stops_at_resolution(qtbot, window, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident, _panel = _open(window, incidents)
    clock.advance(timedelta(minutes=45))
    incidents.set_field(incident.id, "status", "resolved")
    window.refresh()
    clock.advance(timedelta(hours=3))
    window.header.elapsed_label.refresh()
    assert window.header.elapsed_label.text() == "Elapsed 00:45:00"


def test_alert_sound_is_a_remembered_choice(qtbot, window, settings) -> None:  # type: ignore[no-untyped-def]
    assert not window.notifier.sound
    window.action_sound.trigger()
    assert window.notifier.sound
    assert settings.value("alerts/sound", type=bool) is True
