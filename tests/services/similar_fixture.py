"""A workspace of past incidents whose resemblance to a new one is known in advance.

Past incidents, oldest first (``PAST``): the same alert and service as the probe (the best
match), the same service only, similar words only, and two that share nothing. The probe is
declared last: ``CertificateExpired`` firing on customer-api, namespace payments.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from commander.core.clock import FakeClock
from commander.services.alerts import AlertService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.runbooks import RunbookService
from commander.services.workspace import Workspace

START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _alert(name: str, fingerprint: str, when: datetime, **labels: str) -> dict[str, Any]:
    return {
        "version": "4",
        "status": "firing",
        "receiver": "commander",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": name, "severity": "critical", **labels},
                "annotations": {"summary": f"{name} on {labels.get('service', 'prod')}"},
                "startsAt": when.isoformat().replace("+00:00", "Z"),
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus.example.org:9090/graph",
                "fingerprint": fingerprint,
            }
        ],
    }


def build_past(workspace: Workspace, clock: FakeClock) -> dict[str, str]:
    """Record the past incidents and the probe; returns their ids by name."""
    incidents = IncidentService(workspace)
    alerts = AlertService(workspace)
    review = ReviewService(workspace)
    runbooks = RunbookService(workspace)
    ids: dict[str, str] = {}

    def declare(name: str, title: str, services: str, *notes: str) -> str:
        incident = incidents.declare(title=title, severity="P1", services=services).incident
        for note in notes:
            clock.advance(timedelta(minutes=5))
            incidents.log(incident.id, note)
        ids[name] = incident.id
        return incident.id

    def resolve(incident_id: str, after: timedelta) -> None:
        clock.advance(after)
        incidents.set_field(incident_id, "status", "resolved")

    clock.set(START)
    cert = declare(
        "same_alert",
        "Customer API certificate expired",
        "customer-api",
        "TLS handshakes failing for every client",
    )
    alerts.ingest_payload(
        _alert("CertificateExpired", "f0000001", clock.now(), namespace="payments")
    )
    alerts.link("f0000001", cert)
    runbooks.ran(cert, "health.top-nodes")
    review.set_field(cert, "primary_cause", "The renewal job had been failing for a month")
    review.set_field(cert, "resolution_steps", "Issued a certificate by hand and restarted")
    resolve(cert, timedelta(hours=1, minutes=25))

    clock.set(START + timedelta(days=10))
    latency = declare(
        "same_service", "Slow responses from the API", "customer-api", "p99 latency at 4 s"
    )
    resolve(latency, timedelta(minutes=50))

    clock.set(START + timedelta(days=20))
    partner = declare(
        "similar_words",
        "Partner webhook rejects our certificate",
        "partner-gateway",
        "Their side says the certificate expired yesterday",
    )
    resolve(partner, timedelta(hours=3))

    clock.set(START + timedelta(days=30))
    declare("unrelated", "Orders database failover", "orders-db", "Replica promoted")
    alerts.ingest_payload(_alert("PostgresDown", "f0000002", clock.now(), namespace="orders"))
    alerts.link("f0000002", ids["unrelated"])

    clock.set(START + timedelta(days=40))
    declare("unrelated_2", "Office wifi outage", "", "Vendor on site")

    clock.set(START + timedelta(days=60))
    probe = declare(
        "probe",
        "CertificateExpired on customer-api",
        "customer-api",
        "Clients report TLS errors",
    )
    alerts.ingest_payload(
        _alert("CertificateExpired", "f0000003", clock.now(), namespace="payments")
    )
    alerts.link("f0000003", probe)
    return ids
