"""Health endpoints and certificates: results, and the procedure's thresholds on them.

The procedure's severity table names two certificate cases at P1 — "Certificate expiry
causing authentication failures" (expired) and "Critical certificate near expiry (<24
hours)" — and "Non-critical certificate warnings" at P2. ``classify_certificate`` turns a
``notAfter`` into that verdict; the warning window (default 30 days) is a setting.
Pure: the checks themselves live in ``commander.integrations.health``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from commander.core.policy import Severity
from commander.core.records_json import JsonRecord, json_computed, json_field

CRITICAL_WINDOW = timedelta(hours=24)
DEFAULT_WARNING_DAYS = 30


class CheckState(StrEnum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    FAILING = "failing"  # the endpoint answered badly or not at all

    @property
    def label(self) -> str:
        return {
            CheckState.OK: "OK",
            CheckState.WARNING: "Warning",
            CheckState.CRITICAL: "Critical",
            CheckState.FAILING: "Failing",
        }[self]


@dataclass(frozen=True)
class CertVerdict:
    state: CheckState
    severity: Severity | None  # the procedure's severity for this case, None when fine
    text: str


def classify_certificate(
    not_after: datetime, now: datetime, *, warning_days: int = DEFAULT_WARNING_DAYS
) -> CertVerdict:
    """Where a certificate stands against the procedure's thresholds."""
    left = not_after - now
    if left <= timedelta(0):
        return CertVerdict(
            CheckState.CRITICAL,
            Severity.P1,
            f"expired {expiry_text(-left)} ago — P1: certificate expiry causing "
            "authentication failures",
        )
    if left < CRITICAL_WINDOW:
        return CertVerdict(
            CheckState.CRITICAL,
            Severity.P1,
            f"expires in {expiry_text(left)} — P1: critical certificate near expiry (<24 hours)",
        )
    if left < timedelta(days=warning_days):
        return CertVerdict(
            CheckState.WARNING,
            Severity.P2,
            f"expires in {expiry_text(left)} — P2: certificate warning (<{warning_days} days)",
        )
    return CertVerdict(CheckState.OK, None, f"expires in {expiry_text(left)}")


def expiry_text(left: timedelta) -> str:
    """``11 h 59 min``, ``3 days``, ``90 days``: whole units a person reads at a glance."""
    minutes = int(left.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{hours // 24} days"


def days_left(not_after: datetime, now: datetime) -> float:
    return round((not_after - now).total_seconds() / 86400, 2)


@dataclass(frozen=True)
class CheckResult(JsonRecord):
    """One check of one target, as the panel and ``commander health check`` show it.

    Attributes:
        kind: ``http`` (a health URL) or ``tls`` (a certificate).
        target: the URL or ``host:port``.
        detail: one line: ``HTTP 200 in 85 ms`` or ``expires in 11 h — P1 ...``.
        not_after: the certificate's expiry (TLS only).
        trusted: the certificate verified against the system's CAs (TLS only); a
            self-signed or private-CA certificate is still read for its expiry.
    """

    kind: str
    name: str
    target: str
    state: CheckState
    detail: str
    checked_at: datetime
    severity: Severity | None = None
    not_after: datetime | None = None
    trusted: bool | None = None
    trust_note: str = field(default="", metadata=json_field(empty_as_none=True))
    latency_ms: int | None = None

    JSON_COMPUTED = (json_computed("days_to_expiry", before="trusted"),)

    def days_to_expiry(self) -> float | None:
        return days_left(self.not_after, self.checked_at) if self.not_after else None
