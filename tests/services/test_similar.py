"""Similar incidents: the expected past incidents, best first, each with why and what was done."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.errors import CommanderError
from commander.core.similarity import Features, compare, words
from commander.services.checklists import ChecklistService
from commander.services.similar import SimilarService
from tests.services.similar_fixture import build_past


@pytest.fixture
def past(workspace, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return build_past(workspace, clock)


def test_the_known_matches_come_best_first_and_nothing_unrelated(workspace, past) -> None:  # type: ignore[no-untyped-def]
    found = SimilarService(workspace).for_incident(past["probe"])
    assert [s.incident.id for s in found] == [
        past["same_alert"],
        past["same_service"],
        past["similar_words"],
    ]
    best = found[0]
    assert best.explanation.startswith("same alert CertificateExpired; service customer-api")
    assert "labels namespace=payments" in best.explanation
    assert "service customer-api" in found[1].explanation
    assert "same alert" not in found[1].explanation
    assert "certificate" in found[2].explanation and "service" not in found[2].explanation


def test_each_match_carries_what_was_done_then(workspace, past) -> None:  # type: ignore[no-untyped-def]
    best = SimilarService(workspace).for_incident(past["probe"])[0]
    assert best.incident.severity.value == "P1"
    assert best.duration == timedelta(hours=1, minutes=25, seconds=300)
    assert best.root_cause == "The renewal job had been failing for a month"
    assert best.resolution == "Issued a certificate by hand and restarted"
    assert best.runbook_steps == ("System Health Assessment: Quick system health check",)
    data = best.to_json()
    assert data["reasons"][0] == "same alert CertificateExpired"
    assert data["duration_seconds"] == best.duration.total_seconds()


def test_only_earlier_incidents_and_never_itself(workspace, past) -> None:  # type: ignore[no-untyped-def]
    service = SimilarService(workspace)
    first = service.for_incident(past["same_alert"])
    assert first == []  # nothing was declared before it
    ids = {s.incident.id for s in service.for_incident(past["similar_words"])}
    assert past["probe"] not in ids and past["similar_words"] not in ids
    with pytest.raises(CommanderError, match="No incident"):
        service.for_incident("no-such-incident")


def test_a_draft_is_compared_before_it_is_declared(workspace, past) -> None:  # type: ignore[no-untyped-def]
    service = SimilarService(workspace)
    probe = service.probe_draft("Database failover again", services=["orders-db"])
    found = service.similar(probe)
    assert found[0].incident.id == past["unrelated"]
    assert found[0].explanation.startswith("service orders-db")


def test_compare_names_the_shared_features() -> None:
    probe = Features.of(
        services=["customer-api", "Edge"],
        alerts=["CertificateExpired"],
        labels=[("namespace", "payments"), ("severity", "critical")],
        text="Certificate expired on the edge",
    )
    past = Features.of(
        services=["edge", "customer-api"],
        alerts=["CertificateExpired"],
        labels=[("namespace", "payments"), ("severity", "critical")],
        text="The certificate expired",
    )
    result = compare(probe, past)
    assert result.reasons == (
        "same alert CertificateExpired",
        "services customer-api, edge",
        "labels namespace=payments",  # severity says nothing about what broke
        "similar words certificate, expired",
    )
    assert compare(probe, Features.of(services=["orders"])).reasons == ()
    assert {"certificate", "expired", "certificateexpired"} <= words("CertificateExpired")


def test_runbook_steps_ticked_on_the_checklist_count_as_run(workspace, past) -> None:  # type: ignore[no-untyped-def]
    ChecklistService(workspace).tick(past["same_alert"], "cert.certificates")
    ChecklistService(workspace).tick(past["same_alert"], "1.1")  # no command: not a runbook step
    best = SimilarService(workspace).for_incident(past["probe"])[0]
    assert best.runbook_steps == (
        "System Health Assessment: Quick system health check",
        "Certificate Health Check: Check certificate expiry across system",
    )
    assert best.to_json()["runbook_steps"] == list(best.runbook_steps)
