"""Composing from the record, and templates and drafts as synced ops."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from commander.core.business_hours import BusinessHours
from commander.core.channels import Channel
from commander.core.errors import ValidationError
from commander.core.people import Person
from commander.core.templates import Audience
from commander.services.comms import CommsService
from commander.services.deadlines import DeadlineService, deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.people import PeopleService
from commander.services.procedures import ProcedureService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import oplog, queries


@pytest.fixture
def comms(workspace) -> CommsService:
    return CommsService(workspace, DeadlineService(workspace, hours=BusinessHours(zone=UTC)))


@pytest.fixture
def incident(incidents):
    return incidents.declare(
        title="Customer API down", severity="P1", services=["api"], impact="Errors"
    ).incident


def test_fields_fill_from_the_record_and_next_update_from_the_deadlines(
    comms, incident, clock
) -> None:
    clock.advance(timedelta(minutes=12))
    fields = comms.record_fields(incident.id)
    assert fields["severity"] == "1" and fields["service"] == "api"
    assert fields["started"] == "2026-11-28 10:00 UTC"
    assert fields["duration"] == "12 min"
    assert fields["next_update"] == "10:30 UTC"
    assert fields["incident_commander"] == "alice"
    composition = comms.compose(incident.id, "resolved", channel=Channel.EMAIL)
    assert composition.rendered.empty == ("root_cause", "review_date", "report")


def test_the_incident_commander_comes_from_the_roster(comms, incident, workspace) -> None:
    roster = RosterService(workspace)
    PeopleService(workspace).save_person(Person("dana", "Dana Okafor"))
    assert comms.record_fields(incident.id)["incident_commander"] == "alice"  # the declarer
    roster.assign(incident.id, "ic", "dana")
    assert comms.record_fields(incident.id)["incident_commander"] == "Dana Okafor"


def test_typed_fields_override_and_fill(comms, incident) -> None:
    composition = comms.compose(
        incident.id,
        "resolved",
        channel=Channel.EMAIL,
        typed={
            "root_cause": "Expired cert",
            "review_date": "Tue",
            "incident_commander": "Bo",
            "report": "https://wiki.example.com/r",
        },
    )
    assert composition.rendered.empty == ()
    assert "Root Cause: Expired cert" in composition.rendered.body


def test_user_templates_are_ops_and_replay_on_another_workspace(
    comms, incident, workspace, tmp_path, clock
) -> None:
    key = comms.save_template(
        name="Exec brief",
        audience=Audience.EXECUTIVE,
        subject="P{{ severity }}",
        body="{{ impact }}",
    )
    comms.save_template(
        key="initial", name="Alert", audience="internal", subject="ALERT", body="{{ title }}"
    )
    assert comms.template(key).audience is Audience.EXECUTIVE
    assert comms.template("initial").subject == "ALERT"
    with pytest.raises(ValidationError, match="not a field"):
        comms.save_template(name="Bad", audience="internal", subject="s", body="{{ nope }}")
    draft = comms.save_draft(
        incident.id,
        template_key="resolved",
        audience=Audience.INTERNAL,
        channel=Channel.SLACK,
        typed={"root_cause": "cert"},
    )
    # Another laptop applies the same ops in reverse order: same templates and drafts.
    other = Workspace.open(tmp_path / "other", author="bob", clock=clock, zone=UTC)
    try:
        with workspace.read() as conn:
            ops = list(queries.ops_in_chain_order(conn))
        with other.write() as conn:
            for op in reversed(ops):
                oplog.store(conn, op)
                oplog.apply(conn, op)
        replica = CommsService(other, DeadlineService(other, hours=BusinessHours(zone=UTC)))
        assert [t.to_json() for t in replica.templates()] == [
            t.to_json() for t in comms.templates()
        ]
        assert replica.drafts(incident.id)[0].id == draft
        assert replica.drafts(incident.id)[0].fields == {"root_cause": "cert"}
    finally:
        other.close()
    comms.delete_template("initial")
    assert comms.template("initial").subject.startswith("INCIDENT ALERT")


def test_a_resolved_incident_has_no_next_update_to_ask_for(comms, incident, incidents) -> None:
    incidents.set_field(incident.id, "status", "resolved")
    for key in ("initial", "update", "partner", "status-page"):
        composition = comms.compose(incident.id, key, channel=Channel.EMAIL)
        assert "<next update>" not in composition.rendered.body, key
        assert "next_update" not in composition.rendered.empty, key
    update = comms.compose(incident.id, "update", channel=Channel.EMAIL).rendered
    assert "Next Update: none, the incident is resolved" in update.body
    assert update.empty == ("eta", "next_steps", "progress")  # named, for the composer


def test_the_procedures_type_and_fields_fill_from_the_record(comms, incident, workspace) -> None:
    example = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"
    ProcedureService(workspace).load(example.read_text("utf-8"), "sev-security.toml")
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    fields.set(incident.id, "type", "security")
    fields.set(incident.id, "customer_tier", "enterprise")
    record = comms.record_fields(incident.id)
    assert record["field_type"] == "Security"
    assert record["field_customer_tier"] == "enterprise"
    assert record["field_regulator_reference"] == ""
