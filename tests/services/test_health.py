"""Declaring from a flagged health check: the procedure's severity and a logged reading."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.errors import ValidationError
from commander.core.health import CheckResult, CheckState, classify_certificate
from commander.core.policy import Severity
from commander.services.health import declare_from_check, incident_from_check, summary


def _cert(now, hours: float) -> CheckResult:  # type: ignore[no-untyped-def]
    not_after = now + timedelta(hours=hours)
    verdict = classify_certificate(not_after, now)
    return CheckResult(
        "tls",
        "customer API",
        "api.example.com:443",
        verdict.state,
        verdict.text,
        now,
        verdict.severity,
        not_after,
        True,
    )


def test_titles_and_severities(clock) -> None:
    now = clock.now()
    assert incident_from_check(_cert(now, 12)) == (
        "Critical certificate near expiry: customer API (api.example.com:443)",
        Severity.P1,
    )
    assert incident_from_check(_cert(now, -1))[0].startswith("Certificate expired")
    assert incident_from_check(_cert(now, 24 * 10)) == (
        "Certificate expiry warning: customer API (api.example.com:443)",
        Severity.P2,
    )
    failing = CheckResult(
        "http", "auth", "https://auth/healthz", CheckState.FAILING, "HTTP 503", now
    )
    assert incident_from_check(failing) == ("Health check failing: auth", Severity.P2)
    with pytest.raises(ValidationError, match="healthy"):
        incident_from_check(_cert(now, 24 * 90))
    assert summary([failing, _cert(now, 12), _cert(now, 24 * 90)]) == (
        "3 checks: 1 critical, 1 failing"
    )


def test_declare_logs_the_reading(incidents, clock) -> None:
    declared = declare_from_check(incidents, _cert(clock.now(), 12))
    assert declared.incident.severity == Severity.P1
    assert declared.incident.services == ("customer API",)
    events = [e.event for e in incidents.timeline(declared.incident.id)]
    assert (
        "Health check flagged api.example.com:443: expires in 12 h — P1: critical "
        "certificate near expiry (<24 hours)" in events
    )
