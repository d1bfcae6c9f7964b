"""Runbook steps in the search index: found once run, renamed with their checklist, gone when
unticked, back-filled for workspaces that ran steps before the index knew them."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from commander.core.clock import FakeClock
from commander.core.errors import NotFoundError
from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService
from commander.services.search import SearchService
from commander.services.workspace import Workspace
from commander.storage import search_index, search_runbook
from commander.storage.database import dbapi
from tests.services.ops_exchange import copy_ops


def _runbook_hits(ws: Workspace, text: str) -> list[tuple[str, str]]:
    results = SearchService(ws).search(text)
    return [
        (group.incident_id, hit.key)
        for group in results.groups
        for hit in group.hits
        if hit.kind == search_runbook.KIND
    ]


def _consistent(ws: Workspace) -> None:
    SearchService(ws).catch_up()
    with ws.write() as conn:
        db = dbapi(conn)
        search_index.integrity_check(db)
        incremental = search_index.documents(db)
        search_index.rebuild(db)
        assert search_index.documents(db) == incremental


def test_a_completed_step_is_found_and_an_unticked_one_is_not(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Pods crash-looping", severity="P2").incident
    checklists = ChecklistService(workspace)
    assert _runbook_hits(workspace, "kubectl top nodes") == []  # not run yet
    checklists.tick(incident.id, "health.top-nodes")
    results = SearchService(workspace).search("top nodes")
    group = next(g for g in results.groups if g.incident_id == incident.id)
    hit = next(h for h in group.hits if h.kind == "runbook")
    assert hit.label == "Runbook step"
    assert hit.key == f"{incident.id}:health.top-nodes"
    assert "System Health Assessment" in hit.marked.text
    assert hit.to_json()["label"] == "Runbook step" and hit.to_json()["entry_id"] is None
    checklists.tick(incident.id, "health.top-nodes", done=False)
    assert _runbook_hits(workspace, "kubectl top nodes") == []
    _consistent(workspace)


def test_a_step_run_from_the_runbook_is_found(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Mesh trouble", severity="P3").incident
    RunbookService(workspace).ran(incident.id, "net.proxy-status")
    assert _runbook_hits(workspace, "istioctl proxy-status") == [
        (incident.id, f"{incident.id}:net.proxy-status")
    ]
    _consistent(workspace)


def test_an_added_and_renamed_step_is_found_by_its_new_text(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Queue stuck", severity="P2").incident
    checklists = ChecklistService(workspace)
    ref = checklists.add_step(
        "Service Recovery Actions", "Drain the orders queue", command="rabbitmqctl purge_queue q1"
    )
    checklists.tick(incident.id, ref.step.key)
    assert _runbook_hits(workspace, "orders queue") == [
        (incident.id, f"{incident.id}:{ref.step.key}")
    ]
    checklists.edit_step(ref.step.key, text="Purge the payments backlog")
    assert _runbook_hits(workspace, "orders queue") == []
    assert len(_runbook_hits(workspace, "payments backlog")) == 1
    checklists.edit_step(ref.step.key, command="")  # no longer a runbook step
    assert _runbook_hits(workspace, "payments backlog") == []
    checklists.edit_step(ref.step.key, command="rabbitmqctl purge_queue q1")
    assert len(_runbook_hits(workspace, "purge_queue")) == 1
    checklists.remove_step(ref.step.key)
    assert _runbook_hits(workspace, "purge_queue") == []
    with pytest.raises(NotFoundError):
        checklists.find(ref.step.key)
    _consistent(workspace)


def test_a_pulled_tick_and_a_pulled_rename_are_found(
    workspace: Workspace, incidents: IncidentService, data_dir, clock
) -> None:  # type: ignore[no-untyped-def]
    other = Workspace.open(data_dir / "other", author="ben", clock=clock, zone=workspace.zone)
    try:
        incident = incidents.declare(title="Certificate expiry", severity="P1").incident
        copy_ops(workspace, other)
        ChecklistService(other).tick(incident.id, "cert.certificates")
        copy_ops(other, workspace)
        assert _runbook_hits(workspace, "get certificates") == [
            (incident.id, f"{incident.id}:cert.certificates")
        ]
        ChecklistService(other).edit_step("cert.certificates", text="List every cert-manager cert")
        copy_ops(other, workspace)
        assert len(_runbook_hits(workspace, "cert-manager")) == 1
        _consistent(workspace)
    finally:
        other.close()


def test_steps_run_before_the_index_knew_them_are_back_filled(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="Slow database", severity="P2").incident
    with workspace.write() as conn:
        search_runbook.uninstall(dbapi(conn))  # as a workspace of the previous version
    ChecklistService(workspace).tick(incident.id, "db.pool-logs")
    assert _runbook_hits(workspace, "grep -i mongo") == []
    with workspace.write() as conn:
        search_runbook.install(dbapi(conn))  # what the migration does
    assert _runbook_hits(workspace, "grep -i mongo") == [
        (incident.id, f"{incident.id}:db.pool-logs")
    ]
    _consistent(workspace)


def test_the_migration_back_fills_a_workspace_of_the_previous_version(
    tmp_path: Path, clock: FakeClock
) -> None:
    ws = Workspace.open(tmp_path, author="ann", clock=clock, zone=UTC)
    incident_id = IncidentService(ws).declare(title="Node pressure", severity="P2").incident.id
    ChecklistService(ws).tick(incident_id, "health.nodes")
    ws.close()
    config = Config()
    config.set_main_option("script_location", "commander.storage:migrations")
    engine = create_engine(f"sqlite:///{tmp_path / 'workspace.sqlite3'}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0014_question_indexes")
        db = dbapi(connection)
        assert (
            db.execute("SELECT count(*) FROM search_doc WHERE kind = 'runbook'").fetchone()[0] == 0
        )
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert not names & set(search_runbook.TRIGGERS)
    engine.dispose()
    ws = Workspace.open(tmp_path, author="ann", clock=clock, zone=UTC)  # upgrades
    try:
        assert _runbook_hits(ws, "get nodes") == [(incident_id, f"{incident_id}:health.nodes")]
        ChecklistService(ws).tick(incident_id, "health.pods")  # the triggers are back
        assert len(_runbook_hits(ws, "get pods")) == 1
        _consistent(ws)
    finally:
        ws.close()


def test_a_checklist_stored_in_a_shape_we_cannot_read_does_not_stop_indexing(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident_id = incidents.declare(title="Odd peer", severity="P3").incident.id
    ChecklistService(workspace).tick(incident_id, "health.top-nodes")
    with workspace.write() as conn:  # as a newer or broken peer's op could leave it
        dbapi(conn).execute(
            "INSERT INTO checklist_def(key, content, updated_at, author) "
            "VALUES ('system-health', '[1, 2]', 0, 'zed'), ('user-x', 'not json', 0, 'zed')"
        )
    assert _runbook_hits(workspace, "top nodes") == [
        (incident_id, f"{incident_id}:health.top-nodes")
    ]
    _consistent(workspace)


_OWN_CHECKLIST = """
[[checklist]]
key = "token-rotation"
phase = "containment"
title = "Token Rotation"

[[checklist.step]]
key = "tokens.revoke"
text = "Revoke the leaked deploy token"
command = "vault token revoke -accessor ACCESSOR"
"""


def test_a_loaded_procedures_own_step_is_found_once_run(
    workspace: Workspace, incidents: IncidentService
) -> None:
    from commander.core.procedure_file import seed_text
    from commander.services.procedures import ProcedureService

    ProcedureService(workspace).load(seed_text() + _OWN_CHECKLIST, "acme.toml")
    incident = incidents.declare(title="Deploy token leaked", severity="P1").incident
    ChecklistService(workspace).tick(incident.id, "tokens.revoke")
    assert _runbook_hits(workspace, "vault token revoke") == [
        (incident.id, f"{incident.id}:tokens.revoke")
    ]
    _consistent(workspace)


def test_loading_another_file_renames_a_step_already_run(
    workspace: Workspace, incidents: IncidentService
) -> None:
    from commander.core.procedure_file import seed_text
    from commander.services.procedures import ProcedureService

    incident = incidents.declare(title="Nodes saturated", severity="P2").incident
    ChecklistService(workspace).tick(incident.id, "health.top-nodes")
    assert _runbook_hits(workspace, "sort-by") == []
    renamed = seed_text().replace(
        'command = "kubectl top nodes"', 'command = "kubectl top nodes --sort-by=memory"'
    )
    ProcedureService(workspace).load(renamed, "acme.toml")
    assert _runbook_hits(workspace, "sort-by") == [(incident.id, f"{incident.id}:health.top-nodes")]
    _consistent(workspace)
    ProcedureService(workspace).load(seed_text(), "seed again")
    assert _runbook_hits(workspace, "sort-by") == []
    _consistent(workspace)
