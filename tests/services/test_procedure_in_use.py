"""The loaded procedure drives the incident: its deadlines, its type and fields, and what must
be filled in before resolving (end to end with docs/examples/sev-security.toml). Setting one
field, and what its entry says, is in test_incident_fields.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.policy import Severity
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


def _by_key(workspace: Workspace, incident_id: str) -> dict:
    return {str(d.key): d for d in deadline_service_for(workspace).deadlines(incident_id)}


def test_declare_type_fields_refused_resolution_then_resolve(
    workspace: Workspace, clock: FakeClock
) -> None:
    text = (EXAMPLES / "sev-security.toml").read_text("utf-8")
    ProcedureService(workspace).load(text, "sev-security.toml")
    incidents = IncidentService(workspace)
    fields = IncidentFieldService(workspace, deadline_service_for(workspace))
    incident = incidents.declare(title="Leaked token", severity="P1").incident
    assert not _by_key(workspace, incident.id)["security_triage"].applies

    clock.advance(timedelta(minutes=5))
    fields.set(incident.id, "type", "Security")
    triage = _by_key(workspace, incident.id)["security_triage"]
    assert triage.applies and triage.due == incident.declared_at + timedelta(hours=1)
    entry = incidents.timeline(incident.id)[-1]
    assert entry.event == "Type set to Security"
    assert "Deadline added: Security triage with the Security Lead, because type security" in (
        entry.action
    )

    clock.advance(timedelta(minutes=5))
    aware = clock.now() - timedelta(minutes=2)
    fields.set(incident.id, "personal_data_breach", "yes")
    fields.set(incident.id, "breach_aware_at", aware.isoformat())
    gdpr = _by_key(workspace, incident.id)["gdpr_art33_authority"]
    assert gdpr.applies and gdpr.due == aware + timedelta(hours=72)
    assert gdpr.cite == "GDPR Art. 33(1)"
    assert "Deadline added: Notify the supervisory authority (GDPR)" in (
        incidents.timeline(incident.id)[-1].action
    )
    fields.set(incident.id, "customer_tier", "enterprise")

    with pytest.raises(ValidationError) as refused:
        incidents.set_field(incident.id, "status", "resolved")
    assert str(refused.value) == (
        "The incident cannot be resolved yet: the procedure requires Regulator reference "
        "(regulator_reference) to be filled in first."
    )
    assert incidents.get(incident.id).status.is_active  # nothing written

    fields.set(incident.id, "regulator_reference", "CNIL-2026-0042")
    incidents.set_field(incident.id, "status", "resolved")
    assert not incidents.get(incident.id).status.is_active
    assert _by_key(workspace, incident.id)["post_incident_review"].applies
    assert verify_workspace(workspace).ok


def test_a_severity_change_under_a_loaded_procedure_says_what_it_added(
    workspace: Workspace, clock: FakeClock
) -> None:
    text = (EXAMPLES / "sev-security.toml").read_text("utf-8")
    ProcedureService(workspace).load(text, "sev-security.toml")
    incidents = IncidentService(workspace)
    incident = incidents.declare(title="Slow search", severity="sev4").incident
    assert incident.severity == Severity.P3  # stored as the fourth level
    first = incidents.timeline(incident.id)[0]
    assert first.event == "Incident declared: SEV4 Low — Slow search"
    assert not _by_key(workspace, incident.id)["internal_update"].applies  # SEV1/SEV2 only
    clock.advance(timedelta(minutes=10))
    incidents.set_field(incident.id, "severity", "Major")  # the file's name, any case
    entry = incidents.timeline(incident.id)[-1]
    assert entry.event == "Severity changed SEV4 → SEV2 (Major)"
    assert entry.action.startswith("Response within 30 minutes; engineering manager within 1 hour")
    assert "Deadline added: " in entry.action and "because severity SEV1/SEV2" in entry.action
    assert _by_key(workspace, incident.id)["internal_update"].applies


def test_under_the_built_in_procedure_a_severity_entry_reads_as_before(
    workspace: Workspace,
) -> None:
    incidents = IncidentService(workspace)
    incident = incidents.declare(title="Slow search", severity="P2").incident
    incidents.set_field(incident.id, "severity", "P0")
    entry = incidents.timeline(incident.id)[-1]
    assert "Deadline" not in entry.action and entry.action.startswith("Response within")
