"""Time travel: the state at T is the state the workspace had when it held only the ops up to T.

The reference is the live workspace itself: a random history is played on a fake clock, the
state the normal services showed at a random moment T is taken then, more history follows,
and the state rebuilt for T from the whole log must equal what was shown at T.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.services.deadlines import DeadlineService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.time_travel import read_state, state_at
from commander.services.workspace import Workspace

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
HOURS = BusinessHours(zone=UTC)

ACTIONS = st.one_of(
    st.tuples(st.just("severity"), st.sampled_from(["P0", "P1", "P2", "P3"])),
    st.tuples(
        st.just("status"), st.sampled_from(["identified", "monitoring", "resolved", "closed"])
    ),
    st.tuples(st.just("log"), st.text("abcdef ", min_size=1, max_size=12).filter(str.strip)),
    st.tuples(
        st.just("assign"),
        st.tuples(st.sampled_from(["ic", "scribe", "comms"]), st.sampled_from(["ann", "bob"])),
    ),
    st.tuples(st.just("met"), st.sampled_from(["response", "escalation", "customer_comms"])),
    st.tuples(st.just("update"), st.just("")),
    st.tuples(st.just("impact"), st.integers(0, 100)),
)
STEPS = st.lists(st.tuples(st.integers(0, 900), ACTIONS), min_size=1, max_size=14)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty workspace with a key, copied for each example (migrations are slow)."""
    path = tmp_path_factory.mktemp("template") / "ws"
    ws = Workspace.open(path, author="alice", clock=FakeClock(START), zone=UTC)
    ws.signing_key()
    ws.close()
    return path


def _play(ws: Workspace, clock: FakeClock, incident_id: str, step: tuple[str, object]) -> None:
    kind, arg = step
    try:
        if kind in ("severity", "status"):
            IncidentService(ws).set_field(incident_id, kind, str(arg))
        elif kind == "log":
            IncidentService(ws).log(incident_id, str(arg))
        elif kind == "assign":
            role, person = arg  # type: ignore[misc]
            RosterService(ws).assign(incident_id, role, person)
        elif kind == "met":
            DeadlineService(ws, hours=HOURS).mark_met(incident_id, str(arg))
        elif kind == "update":
            DeadlineService(ws, hours=HOURS).update_sent(incident_id)
        elif kind == "impact":
            ImpactService(ws).add(incident_id, "error_rate", float(arg))  # type: ignore[arg-type]
    except ValidationError:
        pass  # a step the rules refuse (already held, same value): nothing was written


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(before=STEPS, after=STEPS, gap=st.integers(0, 600))
def test_state_at_equals_the_workspace_that_held_only_the_ops_up_to_then(
    template: Path, before: list, after: list, gap: int
) -> None:
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "ws"
        shutil.copytree(template, path)
        clock = FakeClock(START)
        ws = Workspace.open(path, author="alice", clock=clock, zone=UTC)
        try:
            incident = IncidentService(ws).declare(title="API down", severity="P1").incident
            for wait, step in before:
                clock.advance(wait)
                _play(ws, clock, incident.id, step)
            clock.advance(gap)  # T: some time after the last op before it, or right at it
            at = clock.now()
            shown_then = read_state(ws, incident.id, at, hours=HOURS)
            for wait, step in after:
                clock.advance(1 + wait)  # strictly after T
                _play(ws, clock, incident.id, step)
            rebuilt = state_at(ws, incident.ref, at, hours=HOURS)
        finally:
            ws.close()
    assert rebuilt.incident == shown_then.incident
    assert rebuilt.timeline == shown_then.timeline
    assert rebuilt.roster == shown_then.roster
    assert rebuilt.deadlines == shown_then.deadlines
    assert rebuilt.impact == shown_then.impact
    assert rebuilt.ops > 0


def test_before_the_declaration_is_refused(workspace: Workspace, clock: FakeClock) -> None:
    incident = IncidentService(workspace).declare(title="API down", severity="P1").incident
    with pytest.raises(ValidationError, match="was not declared yet"):
        state_at(workspace, incident.id, START - timedelta(minutes=1), hours=HOURS)


def test_who_was_ic_and_what_the_deadlines_showed(workspace: Workspace, clock: FakeClock) -> None:
    incident = IncidentService(workspace).declare(title="API down", severity="P1").incident
    roster = RosterService(workspace)
    roster.assign(incident.id, "ic", "ann")
    clock.advance(timedelta(minutes=20))
    roster.assign(incident.id, "ic", "bob")
    DeadlineService(workspace, hours=HOURS).mark_met(incident.id, "response")
    then = state_at(workspace, incident.ref, START + timedelta(minutes=10), hours=HOURS)
    line = then.roster.line("incident_commander")
    assert line is not None and line.holder is not None and line.holder.person == "ann"
    response = next(d for d in then.deadlines if d.key.value == "response")
    assert response.met_at is None and response.remaining is not None
    now = state_at(workspace, incident.ref, clock.now(), hours=HOURS)
    line = now.roster.line("incident_commander")
    assert line is not None and line.holder is not None and line.holder.person == "bob"
    assert next(d for d in now.deadlines if d.key.value == "response").met_at == clock.now()
