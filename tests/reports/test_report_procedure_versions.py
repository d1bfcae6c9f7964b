"""The report names the procedure version an incident started under and each change after."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.procedure_versions import ProcedureVersion, versions_in_effect
from commander.reports.schema import validate_export
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace
from tests.reports.conftest import reports_for

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SEED = ProcedureVersion("Commander seed procedure", "1", builtin=True)
LOADED = "Example Co. incident procedure 2026.2"


def _load(ws: Workspace) -> None:
    ProcedureService(ws).load(EXAMPLE.read_text("utf-8"), "sev-security.toml")


def test_a_change_mid_incident_is_named_with_its_time(
    workspace: Workspace, clock: FakeClock
) -> None:
    clock.set(T0)
    incident = IncidentService(workspace).declare(title="API down", severity="P1").incident
    clock.set(T0 + timedelta(minutes=25))
    _load(workspace)
    clock.set(T0 + timedelta(hours=1))
    reports = reports_for(workspace)
    report = reports.build(incident.id, charts=False)
    markdown = reports.render(report, "md")
    assert "| Procedure | built-in procedure 1 |" in markdown
    assert f"| Procedure changed | {LOADED} from 2026-11-28 10:25" in markdown
    html = reports.render(report, "html")
    assert "built-in procedure 1" in html and f"{LOADED} from 2026-11-28 10:25" in html
    assert reports.record(incident.id)["procedures"] == [
        {"name": "Commander seed procedure", "version": "1", "builtin": True, "since": None},
        {
            "name": "Example Co. incident procedure",
            "version": "2026.2",
            "builtin": False,
            "since": "2026-11-28T10:25:00.000Z",
        },
    ]


def test_an_incident_declared_after_the_load_names_only_the_loaded_one(
    workspace: Workspace, clock: FakeClock
) -> None:
    clock.set(T0)
    _load(workspace)
    clock.set(T0 + timedelta(minutes=5))
    incident = IncidentService(workspace).declare(title="Login slow", severity="P2").incident
    reports = reports_for(workspace)
    markdown = reports.render(reports.build(incident.id, charts=False), "md")
    assert f"| Procedure | {LOADED} |" in markdown
    assert "Procedure changed" not in markdown and "built-in procedure" not in markdown
    procedures = reports.record(incident.id)["procedures"]
    assert [(p["name"], p["since"]) for p in procedures] == [
        ("Example Co. incident procedure", None)
    ]


def test_a_change_after_the_incident_was_resolved_did_not_apply_to_it(
    workspace: Workspace, clock: FakeClock
) -> None:
    clock.set(T0)
    incidents = IncidentService(workspace)
    incident = incidents.declare(title="Old", severity="P3").incident
    clock.set(T0 + timedelta(minutes=10))
    incidents.set_field(incident.id, "status", "resolved")
    clock.set(T0 + timedelta(minutes=20))
    _load(workspace)
    procedures = reports_for(workspace).record(incident.id)["procedures"]
    assert [p["builtin"] for p in procedures] == [True]


def test_reloading_the_version_in_effect_is_not_a_change() -> None:
    loaded = {"name": "Acme", "version": "3"}
    history = [(T0 + timedelta(minutes=1), loaded), (T0 + timedelta(minutes=2), dict(loaded))]
    versions = versions_in_effect(history, T0, SEED)
    assert [v.label for v in versions] == ["built-in procedure 1", "Acme 3"]
    assert versions[1].since == T0 + timedelta(minutes=1)
    assert versions_in_effect([], T0, SEED) == [SEED]


def test_the_summary_lists_the_type_and_the_filled_custom_fields(
    workspace: Workspace, clock: FakeClock
) -> None:
    clock.set(T0)
    _load(workspace)
    incident = IncidentService(workspace).declare(title="Data leak", severity="P1").incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(incident.id, "type", "security")
    fields.set(incident.id, "customer_tier", "enterprise")
    reports = reports_for(workspace)
    report = reports.build(incident.id, charts=False)
    markdown = reports.render(report, "md")
    assert "| Type | Security |" in markdown
    assert "| Customer tier | enterprise |" in markdown
    assert "Regulator reference" not in markdown  # empty fields are left out
    assert "Customer tier" in reports.render(report, "html")


def test_the_json_record_carries_the_type_and_fields_as_data(
    workspace: Workspace, clock: FakeClock
) -> None:
    clock.set(T0)
    _load(workspace)
    incident = IncidentService(workspace).declare(title="Data leak", severity="P1").incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(incident.id, "type", "security")
    fields.set(incident.id, "customer_tier", "enterprise")
    reports = reports_for(workspace)
    assert reports.record(incident.id)["fields"] == [
        {"key": "type", "name": "Type", "value": "security", "text": "Security"},
        {
            "key": "customer_tier",
            "name": "Customer tier",
            "value": "enterprise",
            "text": "enterprise",
        },
    ]
    document = json.loads(json.dumps(reports.export_json(incident.id)))
    assert document["record"]["fields"][0]["value"] == "security"
    validate_export(document)
    del document["record"]["fields"][1]["key"]
    with pytest.raises(ValidationError):
        validate_export(document)  # the published schema holds the shape
