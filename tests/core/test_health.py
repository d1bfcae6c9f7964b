"""Certificates against the procedure's thresholds: expired or <24 h is P1, a warning is P2."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.core.health import (
    CheckResult,
    CheckState,
    classify_certificate,
    days_left,
    expiry_text,
)
from commander.core.policy import Severity

NOW = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)


def test_certificate_thresholds_follow_the_procedure() -> None:
    now = NOW
    critical = classify_certificate(now + timedelta(hours=12), now)
    assert critical.state == CheckState.CRITICAL and critical.severity == Severity.P1
    assert "critical certificate near expiry (<24 hours)" in critical.text
    assert "12 h" in critical.text
    expired = classify_certificate(now - timedelta(hours=3), now)
    assert expired.severity == Severity.P1 and "expired 3 h ago" in expired.text
    warning = classify_certificate(now + timedelta(days=10), now)
    assert warning.state == CheckState.WARNING and warning.severity == Severity.P2
    fine = classify_certificate(now + timedelta(days=90), now)
    assert fine.state == CheckState.OK and fine.severity is None
    assert fine.text == "expires in 90 days"
    assert (
        classify_certificate(now + timedelta(days=10), now, warning_days=7).state == CheckState.OK
    )
    assert expiry_text(timedelta(minutes=59)) == "59 min"
    assert expiry_text(timedelta(hours=23, minutes=59)) == "23 h 59 min"


def test_the_thresholds_fall_at_exactly_24_hours_and_the_warning_days() -> None:
    assert classify_certificate(NOW, NOW).text.startswith("expired 0 min ago — P1")
    just_under = classify_certificate(NOW + timedelta(hours=24) - timedelta(seconds=1), NOW)
    assert just_under.state == CheckState.CRITICAL
    at_24h = classify_certificate(NOW + timedelta(hours=24), NOW)
    assert at_24h.state == CheckState.WARNING
    assert at_24h.text == "expires in 24 h — P2: certificate warning (<30 days)"
    assert classify_certificate(NOW + timedelta(days=30), NOW).state == CheckState.OK
    at_7 = classify_certificate(NOW + timedelta(days=6), NOW, warning_days=7)
    assert at_7.text == "expires in 6 days — P2: certificate warning (<7 days)"


def test_expiry_text_reads_in_whole_units() -> None:
    assert expiry_text(timedelta(seconds=-30)) == "0 min"
    assert expiry_text(timedelta(seconds=119)) == "1 min"
    assert expiry_text(timedelta(hours=2)) == "2 h"
    assert expiry_text(timedelta(hours=47, minutes=59)) == "47 h 59 min"
    assert expiry_text(timedelta(hours=48)) == "2 days"
    assert expiry_text(timedelta(days=3, hours=23)) == "3 days"


def test_days_left_is_rounded_to_hundredths_and_negative_when_past() -> None:
    assert days_left(NOW + timedelta(hours=36), NOW) == 1.5
    assert days_left(NOW - timedelta(hours=8), NOW) == -0.33


def test_a_tls_result_reports_its_days_to_expiry_and_an_http_one_none() -> None:
    tls = CheckResult(
        "tls",
        "api",
        "api.example.com:443",
        CheckState.WARNING,
        "expires in 10 days",
        NOW,
        severity=Severity.P2,
        not_after=NOW + timedelta(days=10),
        trusted=True,
    )
    http = CheckResult("http", "api", "https://api.example.com/health", CheckState.OK, "", NOW)
    assert tls.days_to_expiry() == 10.0
    assert http.days_to_expiry() is None
    assert [CheckState(s).label for s in ("ok", "warning", "critical", "failing")] == [
        "OK",
        "Warning",
        "Critical",
        "Failing",
    ]
