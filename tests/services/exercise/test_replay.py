"""A scripted exercise at 60x on a fake clock: every inject lands, and the debrief's figures
are the ones the scenario and the script imply."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.channels import Channel
from commander.core.clock import FakeClock
from commander.core.deadline_policy import DeadlineKind
from commander.core.scenario_file import builtin_text
from commander.core.templates import Audience
from commander.integrations.channel_settings import ChannelSecrets
from commander.services.deadlines import deadline_service_for
from commander.services.delivery import comms_for, engine_for
from commander.services.exercise.debrief import debrief, render_debrief
from commander.services.exercise.outbox import practice_messages
from commander.services.exercise.replay import ExerciseReplay, start_exercise
from commander.services.incidents import IncidentService
from commander.services.outbox import OutboxService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace

START = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def run_script(
    ws: Workspace, fake: FakeClock, script: dict[float, Callable[[], object]], until: float
) -> ExerciseReplay:
    """Move the fake clock a second at a time (a minute of exercise time at 60x), applying
    what is due and doing each scripted action once its exercise minute has come."""
    replay = ExerciseReplay(ws)
    pending = sorted(script.items())
    while replay.elapsed() < minutes(until):
        fake.advance(1)
        replay.apply_due()
        while pending and replay.elapsed() >= minutes(pending[0][0]):
            pending.pop(0)[1]()
    assert not pending
    return replay


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def exercise(tmp_path: Path, fake: FakeClock):
    ws = start_exercise(
        tmp_path,
        builtin_text("certificate-expiry"),
        "certificate-expiry",
        speed=60,
        author="trainee",
        clock=fake,
        zone=UTC,
    )
    yield ws
    ws.close()


def test_a_scripted_run_at_60x_completes_and_the_debrief_matches(exercise, fake) -> None:
    ws = exercise
    assert ws.data_dir.parent.name == "exercises"
    replay = ExerciseReplay(ws)
    incident_id = replay.incident_id()
    assert incident_id is not None
    deadlines = deadline_service_for(ws)
    outbox = OutboxService(ws, comms_for(ws, deadlines), deadlines)
    engine = engine_for(outbox, ChannelSecrets(ws.data_dir))
    roster = RosterService(ws)

    def send(audience: Audience, channel: Channel) -> None:
        outbox.queue(incident_id, "update", channel=channel, audience=audience)
        assert len(engine.run_once().sent) == 1

    script: dict[float, Callable[[], object]] = {
        3: lambda: deadlines.mark_met(incident_id, DeadlineKind.RESPONSE, "Paged and on it"),
        5: lambda: roster.assign(incident_id, "incident_commander", "alice"),
        8: lambda: roster.assign(incident_id, "technical_lead", "bob"),
        12: lambda: send(Audience.INTERNAL, Channel.TEAMS),
        20: lambda: send(Audience.CUSTOMER, Channel.EMAIL),
        33: lambda: roster.assign(incident_id, "technical_lead", "carol"),
        38: lambda: send(Audience.INTERNAL, Channel.TEAMS),
    }
    replay = run_script(ws, fake, script, until=75)

    assert replay.applied_count() == len(replay.scenario.injects) == 11
    assert fake.now() - START == timedelta(seconds=75)  # 75 exercise minutes in 75 s
    timeline = [e.event for e in IncidentService(ws).timeline(incident_id)]
    assert any("Message from Northwind Bank (partner)" in e for e in timeline)
    assert any("bob" in e and "unreachable" in e for e in timeline)
    assert sum("resolved" in e.lower() and "Alert" in e for e in timeline) == 2

    replay.end()
    fake.advance(3600)  # read an hour later: the ended exercise's clock stands still
    report = debrief(ws)
    assert report.ended and report.elapsed == minutes(75)
    assert report.acknowledged_after == minutes(3)
    assert report.response_time == minutes(30)  # P1: respond within 30 minutes
    outcomes = [(d.name, d.outcome, d.due_after, d.met_after) for d in report.deadlines]
    assert outcomes == [
        ("Acknowledge", "met", minutes(30), minutes(3)),
        ("Management notification", "missed", minutes(60), None),  # nobody told them
        ("Internal update 1", "met", minutes(30), minutes(12)),
        ("Internal update 2", "met", minutes(42), minutes(38)),
        ("Internal update 3", "missed", minutes(68), None),  # due 30 minutes after 38m
        ("Customer communication", "met", minutes(60), minutes(20)),
    ]
    assert (report.count("met"), report.count("late"), report.count("missed")) == (4, 0, 2)
    assert report.internal_updates == 2
    assert report.updates["internal"] == 2 and report.updates["customer"] == 1
    filled = [(r.role, r.person, r.after, r.within_response) for r in report.roles]
    assert filled[0][1:] == ("alice", minutes(5), True)
    assert filled[2][1:] == ("carol", minutes(33), False)
    assert report.roles_missing == ("Communications Lead",)  # required at P1, never filled
    text = render_debrief(report)
    assert "Acknowledged after 3m (the procedure: within 30m)" in text
    assert "Deadlines: 4 met, 0 late, 2 missed, 0 open" in text
    assert "carol at 33m (after the response time 30m)" in text
    assert json.loads(json.dumps(report.to_json()))["deadline_counts"]["missed"] == 2
    assert [m.audience for m in practice_messages(ws.data_dir)] == [
        "internal",
        "customer",
        "internal",
    ]


def test_an_idle_team_misses_the_partner_clock(tmp_path: Path, fake: FakeClock) -> None:
    """The partner scenario declares a P0 with partners affected: a team that does nothing
    misses the acknowledgement, the executive notice and the 30-minute partner notice."""
    ws = start_exercise(
        tmp_path,
        builtin_text("partner-integration-failure"),
        "partner",
        speed=60,
        author="trainee",
        clock=fake,
        zone=UTC,
    )
    try:
        replay = run_script(ws, fake, {}, until=50)
        replay.end()
        report = debrief(ws)
    finally:
        ws.close()
    outcomes = {d.key: (d.outcome, d.due_after) for d in report.deadlines}
    assert outcomes["partner_comms"] == ("missed", minutes(30))
    assert outcomes["response"] == ("missed", minutes(15))  # P0: respond within 15 minutes
    assert outcomes["escalation"][0] == "missed"
    assert report.acknowledged_after is None and report.roles == ()
    assert report.updates == {"internal": 0, "executive": 0, "customer": 0, "partner": 0}
    assert report.injects_applied == report.injects_total == 9
