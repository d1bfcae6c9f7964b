"""Checking an incident export without importing it: every op's hash and signature, the first
edited op named per writer, and anything that is not an export refused in one sentence."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.errors import ValidationError
from commander.services.deadlines import DeadlineService
from commander.services.report import ReportService
from commander.services.transfer import write_document
from commander.services.verify_file import verify_file


@pytest.fixture
def export(workspace, incidents, tmp_path):  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="API down", severity="P1").incident
    incidents.log(incident.id, "paged on-call")
    incidents.log(incident.id, "rolled back")
    report = ReportService(workspace, DeadlineService(workspace, hours=BusinessHours(zone=UTC)))
    return write_document(report.export_json(incident.id), tmp_path / "export.json")


def _edit(path, change) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(path.read_text("utf-8"))
    change(document)
    path.write_text(json.dumps(document), "utf-8")


def test_an_untouched_export_holds(export, workspace) -> None:
    report = verify_file(export)
    assert report.ok and report.breaks == [] and report.signature_problems == []
    assert report.nodes == 1 and report.ops_checked >= 3
    assert (report.signed, report.unsigned) == (report.ops_checked, 0)
    shown = report.to_json()
    assert shown["file"] == str(export) and shown["ok"] is True and shown["breaks"] == []
    assert shown["ops_checked"] == report.ops_checked


def test_an_edited_op_is_named_with_its_position(export) -> None:
    document = json.loads(export.read_text("utf-8"))
    victim = document["ops"][-1]
    victim["value"] = {**victim["value"], "event": "did nothing"}
    export.write_text(json.dumps(document), "utf-8")
    report = verify_file(export)
    assert not report.ok
    [broken] = report.breaks
    assert broken.op_id == victim["op_id"] and broken.position == len(document["ops"]) - 1
    assert broken.reason == "its content does not match its hash (edited after it was written)"
    assert [p.op_id for p in report.signature_problems] == [victim["op_id"]]
    assert report.to_json()["breaks"][0]["op_id"] == victim["op_id"]


def test_only_the_first_break_per_writer_is_reported(export) -> None:
    def edit_all(document) -> None:  # type: ignore[no-untyped-def]
        for op in document["ops"]:
            op["author"] = "mallory"

    _edit(export, edit_all)
    report = verify_file(export)
    assert len(report.breaks) == 1 and report.breaks[0].position == 0


def test_what_is_not_an_export_is_refused(export, tmp_path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else"}', "utf-8")
    with pytest.raises(ValidationError, match="is not a Commander incident export"):
        verify_file(other)
    _edit(export, lambda document: document["ops"][0].pop("node_id"))
    with pytest.raises(ValidationError, match="holds an op that is not one"):
        verify_file(export)
    with pytest.raises(ValidationError, match="Cannot read"):
        verify_file(tmp_path / "missing.json")
