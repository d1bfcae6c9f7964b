"""A few alerts for the demo workspace, so the Alerts panel has something true to show.

They tell the demo incident's aftermath: the certificate alert that started it has resolved,
and during the enhanced monitoring the story set up, the renewal job's watchdog fires for
the partner gateway — linked to the incident, so it is on its timeline — while a noisy
latency alert stays silenced. Times are relative to now; loading twice adds nothing.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

from commander.core.alerts import FIRING, RESOLVED, Alert
from commander.core.errors import CommanderError
from commander.services.alerts import AlertService
from commander.services.demo.story import DEMO_INCIDENT_ID, STORY_MINUTES
from commander.services.workspace import Workspace

DEMO_SOURCE = "http://alertmanager.demo:9093"
_PROMETHEUS = "http://prometheus.demo:9090/graph?g0.expr="


def add_demo_alerts(workspace: Workspace, service: AlertService | None = None) -> int:
    """Put the demo alerts in the cache; returns how many were new."""
    service = service or AlertService(workspace)
    if service.views():
        return 0
    now = workspace.clock.now()
    started = now - timedelta(minutes=STORY_MINUTES)
    alerts = [
        Alert(
            "d3e0c1a2b4f56789",
            RESOLVED,
            {
                "alertname": "CertificateExpired",
                "instance": "api.example.com:443",
                "job": "blackbox-tls",
                "service": "customer-api",
                "severity": "critical",
            },
            {
                "summary": "Certificate for api.example.com has expired",
                "description": "probe_ssl_earliest_cert_expiry is in the past for api.example.com.",
            },
            started,
            now - timedelta(minutes=70),
            _PROMETHEUS + "probe_ssl_earliest_cert_expiry+-+time()+%3C+0",
            source=DEMO_SOURCE,
        ),
        Alert(
            "7a91c4e2d0b35f68",
            FIRING,
            {
                "alertname": "CertRenewalJobFailed",
                "job": "cert-manager",
                "service": "partner-gateway",
                "severity": "critical",
            },
            {
                "summary": "cert-renewal CronJob failed twice for partner-gateway",
                "description": "The certificate for partner-gw.example.net expires in 11 h; "
                "renewal has failed since 08:10.",
                "runbook_url": "https://runbooks.example.com/certificates/renewal",
            },
            now - timedelta(minutes=18),
            None,
            _PROMETHEUS + "kube_job_status_failed%7Bjob_name%3D~%22cert-renewal.*%22%7D+%3E+0",
            source=DEMO_SOURCE,
        ),
        Alert(
            "5c2b8e1f9a0d4763",
            FIRING,
            {"alertname": "HighLatency", "service": "auth-service", "severity": "warning"},
            {"summary": "auth-service p99 latency above 800 ms"},
            now - timedelta(minutes=95),
            None,
            _PROMETHEUS + "histogram_quantile(0.99,+auth_latency)+%3E+0.8",
            silenced_by=("b1f3c5d7-0000-4000-8000-000000000001",),
            source=DEMO_SOURCE,
        ),
    ]
    service.ingest(alerts)
    with contextlib.suppress(CommanderError):  # no demo incident: alerts alone still make sense
        service.link("7a91c4e2d0b35f68", DEMO_INCIDENT_ID)
    return len(alerts)
