"""The debrief of a running exercise: open, late and missed clocks, and how it reads."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.deadline_policy import DeadlineKind
from commander.core.scenario_file import builtin_text
from commander.services.deadlines import deadline_service_for
from commander.services.exercise.debrief import debrief, render_debrief
from commander.services.exercise.replay import ExerciseReplay, start_exercise


@pytest.fixture
def exercise(tmp_path: Path, clock: FakeClock):
    ws = start_exercise(
        tmp_path,
        builtin_text("certificate-expiry"),
        "certificate-expiry",
        speed=60,
        author="trainee",
        clock=clock,
        zone=UTC,
    )
    yield ws
    ws.close()


def test_a_fresh_exercise_has_every_clock_open(exercise) -> None:
    report = debrief(exercise)
    assert (report.elapsed, report.injects_applied, report.injects_total) == (timedelta(0), 0, 11)
    assert report.acknowledged_after is None and not report.ended
    assert [(d.name, d.outcome) for d in report.deadlines] == [
        ("Acknowledge", "open"),
        ("Management notification", "open"),
        ("Internal update 1", "open"),
        ("Customer communication", "open"),
    ]
    assert report.roles == ()
    assert report.roles_missing == ("Incident Commander", "Technical Lead", "Communications Lead")
    lines = render_debrief(report).splitlines()
    assert lines[0] == "Exercise debrief: Certificate expiry on the customer API"
    assert lines[1].endswith(
        "(P1) at 60x, 0m of exercise time, 0 of 11 injects "
        "(still running: 'commander exercise end' stops its clock)"
    )
    assert "Acknowledged: not yet (the procedure: within 30m)" in lines
    assert "Deadlines: 0 met, 0 late, 0 missed, 4 open" in lines
    assert "Roles filled: none" in lines
    assert lines[-1] == (
        "Roles still missing: Incident Commander, Technical Lead, Communications Lead"
    )


def test_an_acknowledgement_after_its_clock_is_late(exercise, clock: FakeClock) -> None:
    replay = ExerciseReplay(exercise)
    for _ in range(40):  # 40 exercise minutes at 60x
        clock.advance(1)
        replay.apply_due()
    deadline_service_for(exercise).mark_met(replay.incident_id(), DeadlineKind.RESPONSE, "Late")
    report = debrief(exercise)
    assert report.elapsed == timedelta(minutes=40) and report.injects_applied == 8
    assert report.acknowledged_after == timedelta(minutes=40)
    outcomes = {d.name: (d.outcome, d.due_after, d.met_after) for d in report.deadlines}
    assert outcomes["Acknowledge"] == ("late", timedelta(minutes=30), timedelta(minutes=40))
    assert outcomes["Internal update 1"] == ("missed", timedelta(minutes=30), None)
    assert (report.count("late"), report.count("missed"), report.count("open")) == (1, 1, 2)
    text = render_debrief(report)
    assert "Acknowledged after 40m (the procedure: within 30m)" in text
    assert "  late   Acknowledge (due at 30m, met at 40m)" in text
    assert "  missed Internal update 1 (due at 30m)" in text
    as_json = report.to_json()
    assert as_json["acknowledge"] == {"after_s": 2400.0, "procedure_s": 1800.0}
    assert as_json["deadline_counts"] == {"met": 0, "late": 1, "missed": 1, "open": 2}
    assert as_json["injects"] == {"applied": 8, "total": 11} and as_json["ended"] is False
