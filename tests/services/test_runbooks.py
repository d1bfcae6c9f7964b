"""Runbook steps filled from the incident and the values asked once; "ran" logs and ticks."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService, Source


@pytest.fixture
def incident_id(incidents: IncidentService) -> str:
    return incidents.declare(title="API down", severity="P1", services=["api-gateway"]).incident.id


def _events(incidents: IncidentService, incident_id: str) -> list[tuple[str, str]]:
    return [(e.event, e.action) for e in incidents.timeline(incident_id)]


def test_runbook_fills_from_the_record_and_values_asked_once(
    runbooks: RunbookService, incident_id: str
) -> None:
    config = runbooks.step(incident_id, "net.proxy-config")
    assert [(p.name, p.source) for p in config.placeholders] == [
        ("pod", Source.MISSING),
        ("service", Source.INCIDENT),
    ]
    assert config.text is None
    assert config.filled.preview == "istioctl proxy-config cluster <pod> | grep api-gateway"
    runbooks.set_value(incident_id, "pod", "api-gateway-7f9c")
    assert runbooks.step(incident_id, "net.proxy-config").text == (
        "istioctl proxy-config cluster api-gateway-7f9c | grep api-gateway"
    )
    # the same value fills every step that uses it
    assert runbooks.step(incident_id, "db.pool-logs").missing == ("namespace",)
    assert not runbooks.set_value(incident_id, "<pod>", "api-gateway-7f9c")  # unchanged
    with pytest.raises(ValidationError, match="shell"):
        runbooks.set_value(incident_id, "namespace", "prod; rm -rf /")


def test_ran_logs_the_command_as_an_action_and_ticks_the_step(
    runbooks: RunbookService,
    checklists: ChecklistService,
    incidents: IncidentService,
    incident_id: str,
) -> None:
    with pytest.raises(ValidationError, match="<pod-name>"):
        runbooks.ran(incident_id, "recovery.pod-restart")
    runbooks.set_value(incident_id, "namespace", "payments")
    runbooks.set_value(incident_id, "pod-name", "api-7f")
    step, changes = runbooks.ran(incident_id, "Pod Restart")
    assert step.destructive
    assert incident_id in changes.entry_ids
    assert _events(incidents, incident_id)[-1] == (
        "Runbook — Service Recovery Actions: Pod Restart",
        "ran: kubectl delete pod api-7f -n payments",
    )
    assert checklists.progress(incident_id).state("recovery.pod-restart").done  # type: ignore[union-attr]
    runbooks.ran(incident_id, "health.top-nodes")
    assert _events(incidents, incident_id)[-1] == (
        "Runbook — System Health Assessment: Quick system health check",
        "ran: kubectl top nodes",
    )
    with pytest.raises(ValidationError, match="no command"):
        runbooks.ran(incident_id, "initial.acknowledge")


def test_suggestions_come_from_other_incidents_and_the_services(
    runbooks: RunbookService, incidents: IncidentService, incident_id: str
) -> None:
    runbooks.set_value(incident_id, "namespace", "payments")
    other = incidents.declare(title="Two", severity="P2", services=["api", "auth"]).incident.id
    config = runbooks.step(other, "net.proxy-config")
    service = next(p for p in config.placeholders if p.name == "service")
    assert service.source == Source.MISSING and service.suggestions == ("api", "auth")
    logs = runbooks.step(other, "db.pool-logs")
    assert next(p for p in logs.placeholders if p.name == "namespace").suggestions == ("payments",)
