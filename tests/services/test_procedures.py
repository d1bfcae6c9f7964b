"""The workspace's procedure: loaded as a signed op, logged on active incidents, refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from commander.core.clock import FakeClock
from commander.core.procedure_file import ProcedureError, seed_text
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage.database import dbapi
from tests.core.test_procedure_file import mutated

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


def _ops(ws: Workspace) -> list[tuple]:
    with ws.read() as conn:
        return dbapi(conn).execute("SELECT op_id, entity FROM op ORDER BY seq").fetchall()


def test_a_new_workspace_runs_the_seed(workspace: Workspace) -> None:
    loaded = ProcedureService(workspace).current()
    assert loaded.builtin and loaded.source == "built-in"
    assert loaded.procedure.label == "Commander seed procedure 1"
    assert ProcedureService(workspace).export() == seed_text()


def test_loading_a_file_is_a_signed_op_logged_on_active_incidents(
    workspace: Workspace, clock: FakeClock
) -> None:
    incidents = IncidentService(workspace)
    active = incidents.declare(title="API down", severity="P1").incident
    done = incidents.declare(title="Old", severity="P3").incident
    incidents.set_field(done.id, "status", "resolved")
    text = EXAMPLE.read_text("utf-8")
    loaded = ProcedureService(workspace).load(text, "sev-security.toml")
    assert loaded.procedure.label == "Example Co. incident procedure 2026.2"
    assert loaded.source == "sev-security.toml" and loaded.loaded_by == "alice"
    assert ProcedureService(workspace).export() == text
    events = [e.event for e in incidents.timeline(active.id)]
    assert any(
        "Procedure changed: Commander seed procedure 1 → Example Co. incident procedure 2026.2" in e
        for e in events
    )
    assert not any("Procedure changed" in e.event for e in incidents.timeline(done.id))
    assert "procedure" in {entity for _, entity in _ops(workspace)}
    assert verify_workspace(workspace).ok
    before = _ops(workspace)
    ProcedureService(workspace).load(text, "again.toml")  # the same file: nothing to record
    assert _ops(workspace) == before


def test_an_invalid_file_is_refused_and_changes_nothing(workspace: Workspace) -> None:
    IncidentService(workspace).declare(title="API down", severity="P1")
    before = _ops(workspace)
    bad = EXAMPLE.read_text("utf-8").replace('offset = "10m"', 'offset = "ten minutes"')
    with pytest.raises(ProcedureError) as caught:
        ProcedureService(workspace).load(bad, "bad.toml")
    assert caught.value.problems[0].startswith("line ")
    assert _ops(workspace) == before
    assert ProcedureService(workspace).current().builtin


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=mutated())
def test_fuzzed_files_load_whole_or_leave_the_workspace_as_it_was(
    workspace: Workspace, text: str
) -> None:
    service = ProcedureService(workspace)
    before = (_ops(workspace), service.export())
    try:
        loaded = service.load(text, "fuzz.toml")
    except ProcedureError:
        assert (_ops(workspace), service.export()) == before
        return
    assert service.export() == text and loaded.procedure.text == text
