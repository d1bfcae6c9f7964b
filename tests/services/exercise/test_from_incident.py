"""``exercise from INC``: a replayed incident turned back into a scenario holds the same
injects, and replaying that scenario gives a comparable timeline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.scenario_file import builtin_names, builtin_text, dump_scenario, load_scenario
from commander.core.scenario_model import Inject, Scenario
from commander.services.exercise.from_incident import scenario_from_incident
from commander.services.exercise.replay import ExerciseReplay, start_exercise
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

START = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _replayed(root: Path, text: str) -> tuple[Workspace, str]:
    """An exercise of ``text`` run to its end at 60x (one fake second per exercise minute)."""
    fake = FakeClock(START)
    ws = start_exercise(root, text, "scenario", speed=60, author="trainee", clock=fake, zone=UTC)
    replay = ExerciseReplay(ws)
    while not replay.apply_due().finished:
        fake.advance(1)
    incident_id = replay.incident_id()
    assert incident_id is not None
    return ws, incident_id


def _key(inject: Inject) -> tuple[object, ...]:
    return (inject.at, inject.kind, inject.alert, inject.metric, inject.sender, inject.role)


def _timeline(ws: Workspace, incident_id: str) -> list[tuple[int, str]]:
    entries = IncidentService(ws).timeline(incident_id)
    start = entries[0].occurred_at_ms
    return [(e.occurred_at_ms - start, e.event) for e in entries]


@pytest.mark.parametrize("name", builtin_names())
def test_a_scenario_from_an_incident_replays_to_a_comparable_timeline(
    tmp_path: Path, name: str
) -> None:
    original = load_scenario(builtin_text(name), name)
    first, incident_id = _replayed(tmp_path / "one", builtin_text(name))
    try:
        made: Scenario = scenario_from_incident(first, incident_id)
        text = dump_scenario(made)
        again = load_scenario(text, "made.toml")
        assert again == made
        assert again.incident == original.incident
        assert sorted(map(_key, again.injects)) == sorted(map(_key, original.injects))
        assert sorted(again.injects, key=_key) == sorted(original.injects, key=_key)
        second, second_id = _replayed(tmp_path / "two", text)
        try:
            assert _timeline(second, second_id) == _timeline(first, incident_id)
        finally:
            second.close()
    finally:
        first.close()
