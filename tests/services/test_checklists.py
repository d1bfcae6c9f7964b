"""Ticking checklists per incident, editing checklists, and their convergence across workspaces."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.errors import NotFoundError, ValidationError
from commander.core.policy import Phase
from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService
from commander.services.workspace import Workspace
from commander.storage import oplog, queries


@pytest.fixture
def incident_id(incidents: IncidentService) -> str:
    return incidents.declare(title="API down", severity="P1", services=["api-gateway"]).incident.id


def _events(incidents: IncidentService, incident_id: str) -> list[tuple[str, str]]:
    return [(e.event, e.action) for e in incidents.timeline(incident_id)]


def test_ticking_logs_the_step_on_the_timeline_and_untick_works(
    checklists: ChecklistService, incidents: IncidentService, incident_id: str, clock: FakeClock
) -> None:
    clock.advance(timedelta(minutes=2))
    changes = checklists.tick(incident_id, "Acknowledge Alert")
    assert incident_id in changes.entry_ids
    state = checklists.progress(incident_id).state("initial.acknowledge")
    assert state is not None and state.done and state.author == "alice"
    assert state.at == clock.now()
    assert _events(incidents, incident_id)[-1] == ("Checklist: Acknowledge Alert — done", "")
    assert not checklists.tick(incident_id, "1.1")  # already done: nothing written
    checklists.tick(incident_id, "1.1", done=False)
    assert not checklists.progress(incident_id).state("initial.acknowledge").done  # type: ignore[union-attr]
    assert _events(incidents, incident_id)[-1][0] == (
        "Checklist: Acknowledge Alert — not done (unticked)"
    )


def test_progress_per_phase(checklists: ChecklistService, incident_id: str) -> None:
    checklists.tick(incident_id, "initial.acknowledge")
    checklists.tick(incident_id, "initial.severity")
    checklists.tick(incident_id, "health.nodes")
    progress = checklists.progress(incident_id)
    assert progress.phase_progress(Phase.DETECTION) == (2, 5)
    assert progress.phase_progress(Phase.INVESTIGATION) == (1, 14)
    assert progress.phase_progress(Phase.CONTAINMENT) == (0, 4)
    only = checklists.progress(incident_id, Phase.DETECTION)
    assert [c.checklist.key for c in only.checklists] == ["initial-response"]
    data = progress.to_json()
    assert data["phases"][0] == {
        "phase": "detection",
        "label": "Detection & initial response",
        "done": 2,
        "total": 5,
    }


def test_ticks_are_per_incident(
    checklists: ChecklistService, incidents: IncidentService, incident_id: str
) -> None:
    other = incidents.declare(title="Other", severity="P2").incident.id
    checklists.tick(incident_id, "initial.acknowledge")
    assert not checklists.progress(other).state("initial.acknowledge").done  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        checklists.tick("no-such-incident", "1.1")


def test_users_edit_extend_and_restore_checklists(
    checklists: ChecklistService, incident_id: str
) -> None:
    checklists.tick(incident_id, "initial.team")
    ref = checklists.add_step(
        "Initial Response Steps", "Open the bridge call", after="initial.acknowledge"
    )
    assert ref.number == "1.2"
    checklists.edit_step("initial.team", text="Form the response team")
    checklists.move_step("initial.investigate", 1)
    steps = checklists.checklist("initial-response").steps
    assert [s.text for s in steps][:3] == [
        "Begin Investigation",
        "Acknowledge Alert",
        "Open the bridge call",
    ]
    state = checklists.progress(incident_id).state("initial.team")
    assert state is not None and state.done and state.step.text == "Form the response team"
    assert checklists.checklist("initial-response").edited
    checklists.remove_step("Open the bridge call")
    restored = checklists.restore_default("initial-response")
    assert restored.steps[0].text == "Acknowledge Alert"
    assert not restored.edited


def test_user_checklists_can_be_added_with_commands_and_deleted(
    checklists: ChecklistService, runbooks: RunbookService, incident_id: str
) -> None:
    own = checklists.new_checklist("Paging", Phase.CONTAINMENT)
    checklists.add_step(
        own.key, "Scale down", command="kubectl scale deploy <deployment> --replicas=0"
    )
    checklists.add_step(own.key, "Cleanup", command="./cleanup.sh <namespace>", destructive=True)
    steps = {s.ref.step.text: s for s in runbooks.steps(incident_id)}
    assert steps["Scale down"].reasons == ("changes the number of running replicas",)
    assert steps["Cleanup"].reasons == ("marked destructive in the checklist",)
    with pytest.raises(ValidationError, match="restore"):
        checklists.delete_checklist("initial-response")
    with pytest.raises(ValidationError, match="delete it"):
        checklists.restore_default(own.key)
    checklists.delete_checklist(own.key)
    assert "Paging" not in [c.title for c in checklists.checklists()]


def _replay(source: Workspace, target: Workspace, order: random.Random) -> None:
    with source.read() as conn:
        ops = list(queries.ops_in_chain_order(conn))
    order.shuffle(ops)
    with target.write() as conn:
        for op in ops:
            oplog.store(conn, op)
            oplog.apply(conn, op)


def test_ticks_values_and_edits_converge_in_any_delivery_order(tmp_path: Path) -> None:
    clock_a = FakeClock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    a = Workspace.open(tmp_path / "a", author="alice", clock=clock_a, zone=UTC)
    incident_id = IncidentService(a).declare(title="X", severity="P1").incident.id
    service = ChecklistService(a)
    for step in ("1.1", "1.2", "1.3"):
        clock_a.advance(1)
        service.tick(incident_id, step)
    clock_a.advance(1)
    service.tick(incident_id, "1.2", done=False)
    clock_a.advance(1)
    service.add_step("initial-response", "Page the DBA")
    clock_a.advance(1)
    RunbookService(a).set_value(incident_id, "namespace", "prod")
    clock_a.advance(1)
    RunbookService(a).set_value(incident_id, "namespace", "payments")
    expected = service.progress(incident_id).to_json()
    for seed in range(3):
        b = Workspace.open(tmp_path / f"b{seed}", author="bob", zone=UTC)
        _replay(a, b, random.Random(seed))
        assert ChecklistService(b).progress(incident_id).to_json() == expected
        assert RunbookService(b).values(incident_id) == {"namespace": "payments"}
        b.close()
    a.close()
