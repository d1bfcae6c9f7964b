"""The JSON export validates against the published schema and carries the record and its ops."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from commander.reports.schema import export_schema
from commander.services.incidents import IncidentService

from .conftest import reports_for

ROOT = Path(__file__).resolve().parents[2]


def test_json_export_validates_against_the_published_schema(told, workspace):
    document = reports_for(workspace).export_json(told.incident_id)
    Draft202012Validator.check_schema(export_schema())
    Draft202012Validator(export_schema()).validate(json.loads(json.dumps(document)))
    published = json.loads((ROOT / "docs" / "incident-export.schema.json").read_text("utf-8"))
    assert published == export_schema()
    record = document["record"]
    assert len(record["timeline"]) == len(IncidentService(workspace).timeline(told.incident_id))
    assert record["summary"]["duration_seconds"] == 90 * 60
    assert record["review"]["primary_cause"].startswith("Expired signing key")
    assert {op["incident_id"] for op in document["ops"]} == {told.incident_id, ""}
    workspace_ops = {
        (op["entity"], op["entity_id"]) for op in document["ops"] if not op["incident_id"]
    }
    assert ("person", "alice") in workspace_ops and ("template", "resolved") not in workspace_ops
    assert ("role_def", "scribe") in workspace_ops
    assert not any(op["incident_id"] == told.other_id for op in document["ops"])
