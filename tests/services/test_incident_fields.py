"""An incident's type and custom fields (services/incident_fields.py): each value is checked
against the loaded procedure and refused in one sentence, setting or emptying one is a timeline
entry naming the deadlines, roles and checklists it added or retired and why, and the header
shows what is left to fill in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.policy import Severity
from commander.core.procedure_fields import HeaderField
from commander.core.procedure_file import seed_text
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService, severity_deadline_changes
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


def _by_key(workspace: Workspace, incident_id: str) -> dict:
    return {str(d.key): d for d in deadline_service_for(workspace).deadlines(incident_id)}


def _load_security(workspace: Workspace) -> IncidentFieldService:
    text = (EXAMPLES / "sev-security.toml").read_text("utf-8")
    ProcedureService(workspace).load(text, "sev-security.toml")
    return IncidentFieldService(workspace, deadline_service_for(workspace))


def test_a_value_the_field_does_not_take_is_one_sentence_and_writes_nothing(
    workspace: Workspace,
) -> None:
    ProcedureService(workspace).load(
        (EXAMPLES / "sev-security.toml").read_text("utf-8"), "sev-security.toml"
    )
    incident = IncidentService(workspace).declare(title="X", severity="P2").incident
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    for key, value, message in (
        ("customer_tier", "gold", "Customer tier takes one of enterprise, business, free."),
        (
            "type",
            "partner",
            "Unknown incident type 'partner': this procedure has service, security.",
        ),
        ("breach_aware_at", "tuesday", "Aware of the breach at takes a date and time with a zone"),
        ("colour", "red", "The procedure has no field 'colour'"),
    ):
        with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
            fields.set(incident.id, key, value)
    assert fields.values(incident.id) == {}


def test_retiring_a_deadline_is_logged_with_why(workspace: Workspace, clock: FakeClock) -> None:
    text = seed_text() + "\n" + (EXAMPLES / "gdpr-art33.toml").read_text("utf-8")
    ProcedureService(workspace).load(text, "seed + GDPR")
    incidents = IncidentService(workspace)
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    incident = incidents.declare(title="Export job", severity="P2").incident
    fields.set(incident.id, "personal_data_breach", "yes")
    fields.set(incident.id, "breach_aware_at", clock.now().isoformat())
    assert _by_key(workspace, incident.id)["gdpr_art33_authority"].applies
    clock.advance(timedelta(minutes=30))
    fields.set(incident.id, "personal_data_breach", "no")
    assert not _by_key(workspace, incident.id)["gdpr_art33_authority"].applies
    entry = incidents.timeline(incident.id)[-1]
    assert entry.event == "Personal-data breach set to no"
    assert entry.action.startswith(
        "Deadline retired: Notify the supervisory authority (GDPR) (applies when"
    )
    # The seed's own deadlines ran on the seed's rules all along.
    assert [k for k in _by_key(workspace, incident.id)][:8] == [
        "response",
        "escalation",
        "internal_update",
        "customer_comms",
        "partner_comms",
        "enhanced_monitoring",
        "timeline_impact",
        "post_incident_review",
    ]
    # The met deadline of a pack is recorded like any other.
    deadline_service_for(workspace).mark_met(incident.id, "gdpr_art33_authority", how="Filed")
    assert _by_key(workspace, incident.id)["gdpr_art33_authority"].met_at is not None


def test_setting_a_type_names_what_it_added_and_the_header_what_is_left_to_fill(
    workspace: Workspace, incidents: IncidentService
) -> None:
    fields = _load_security(workspace)
    incident = incidents.declare(
        title="Leaked token", severity="P1", fields={"customer_tier": "business"}
    ).incident
    assert fields.values(incident.id) == {"customer_tier": "business"}
    assert fields.header(incident) == [
        HeaderField("type", "Type", "", to_fill=False),
        HeaderField("customer_tier", "Customer tier", "business", to_fill=False),
        HeaderField("personal_data_breach", "Personal-data breach", "", to_fill=True),
    ]

    fields.set(incident.id, "type", "security")

    entry = incidents.timeline(incident.id)[-1]
    assert entry.event == "Type set to Security"
    assert entry.action == (
        "Deadline added: Security triage with the Security Lead, because type security; "
        "Role needed: Security Lead, because type security, status active; "
        "Checklist added: Security containment (2 steps), because type security"
    )
    assert [(h.key, h.text) for h in fields.header(incidents.get(incident.id))] == [
        ("type", "Security"),
        ("customer_tier", "business"),
        ("regulator_reference", ""),
        ("personal_data_breach", ""),
    ]


def test_emptying_a_field_is_an_entry_and_leaves_it_empty(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    fields = _load_security(workspace)
    incident = incidents.declare(
        title="Leaked token", severity="P1", fields={"customer_tier": "business"}
    ).incident
    clock.advance(timedelta(minutes=3))
    fields.set(incident.id, "customer_tier", "enterprise")
    assert incidents.timeline(incident.id)[-1].event == "Customer tier set to enterprise"
    fields.set(incident.id, "customer_tier", "")
    last = incidents.timeline(incident.id)[-1]
    assert (last.event, last.action) == ("Customer tier emptied", "")
    assert last.occurred_at == incident.declared_at + timedelta(minutes=3)
    assert fields.values(incident.id) == {"customer_tier": None}


def test_an_unknown_incident_or_field_is_one_sentence(
    workspace: Workspace, incidents: IncidentService
) -> None:
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    incident = incidents.declare(title="Slow search", severity="P2").incident
    with pytest.raises(ValidationError) as refused:
        fields.values("nope")
    assert str(refused.value) == "No incident with id nope."
    with pytest.raises(ValidationError) as refused:
        fields.set("nope", "type", "security")
    assert str(refused.value) == "No incident with id nope."
    with pytest.raises(ValidationError) as refused:
        fields.set(incident.id, "colour", "red")
    assert str(refused.value) == "The procedure has no field 'colour': use one of type."
    assert fields.values(incident.id) == {} and fields.header(incident) == []


def test_a_severity_change_names_what_it_retires_only_under_a_loaded_procedure(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    incident = incidents.declare(title="Slow search", severity="P1").incident
    assert severity_deadline_changes(workspace, incident.id, Severity.P3, clock.now()) == ""
    _load_security(workspace)
    assert severity_deadline_changes(workspace, incident.id, Severity.P3, clock.now()) == (
        "Deadline retired: Internal update (applies when severity SEV1/SEV2); "
        "Role no longer needed: Technical Lead"
    )
