"""*Incident → State at a moment…*: the scrubber shows what the record held at each moment."""

from __future__ import annotations

from datetime import timedelta

from commander.core.clock import FakeClock
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow


def _story(workspace: Workspace, clock: FakeClock) -> str:
    t0 = clock.now()
    incidents = IncidentService(workspace)
    incident_id = incidents.declare(title="Checkout errors", severity="P2").incident.id
    clock.set(t0 + timedelta(minutes=5))
    incidents.log(incident_id, "5xx rate 12% on checkout-api")
    clock.set(t0 + timedelta(minutes=10))
    incidents.set_field(incident_id, "severity", "P1")
    clock.set(t0 + timedelta(minutes=15))
    RosterService(workspace).assign(incident_id, "Incident Commander", "Dana Ortiz")
    clock.set(t0 + timedelta(minutes=20))
    return incident_id


def test_the_scrubber_shows_each_moment_read_only(
    qtbot, window: MainWindow, workspace: Workspace, clock: FakeClock
) -> None:
    t0 = clock.now()
    incident_id = _story(workspace, clock)
    window.refresh()
    window.select_incident(incident_id)
    window.action_state_at.trigger()
    dialog = window.incident_commands.time_travel
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=10_000)
    assert dialog.state is not None and dialog.state.incident.severity.value == "P1"
    assert any("Dana Ortiz" in dialog.roster.row(n)[1] for n in range(dialog.roster.rowCount()))

    dialog.set_moment(t0 + timedelta(minutes=7))
    qtbot.waitUntil(
        lambda: dialog.state is not None and dialog.state.at == t0 + timedelta(minutes=7),
        timeout=10_000,
    )
    assert dialog.state.incident.severity.value == "P2"  # raised at 10 min
    events = [dialog.timeline.row(n)[1] for n in range(dialog.timeline.rowCount())]
    assert "5xx rate 12% on checkout-api" in events
    assert not any("Dana Ortiz" in dialog.roster.row(n)[1] for n in range(dialog.roster.rowCount()))
    assert "P2" in dialog.summary.text() and "10:07" in dialog.moment.text()


def test_moving_the_slider_fast_shows_only_the_last_moment(
    qtbot, window: MainWindow, workspace: Workspace, clock: FakeClock
) -> None:
    t0 = clock.now()
    incident_id = _story(workspace, clock)
    window.refresh()
    window.select_incident(incident_id)
    dialog = window.incident_commands.state_at_moment()
    assert dialog is not None
    for minute in (1, 3, 6, 9, 12, 2):
        dialog.set_moment(t0 + timedelta(minutes=minute))
    qtbot.waitUntil(
        lambda: dialog.state is not None and dialog.state.at == t0 + timedelta(minutes=2),
        timeout=10_000,
    )
    qtbot.wait(300)  # no late answer for an earlier position replaces it
    assert dialog.state.at == t0 + timedelta(minutes=2)
    assert dialog.timeline.rowCount() == len(dialog.state.timeline)
