"""Health endpoints and certificates, checked on demand and on the window's schedule.

The results are not stored: they are a reading of now, and a check takes seconds. What the
procedure flags (a certificate under 24 hours is P1) comes back with each result, so the
panel, the CLI and a script all see the same verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from commander.core.clock import Clock
from commander.core.errors import ValidationError
from commander.core.health import CheckResult, CheckState
from commander.core.policy import Severity
from commander.integrations.monitoring_settings import HealthTarget, MonitoringSettings
from commander.services.incidents import Declared, IncidentService


class HealthService:
    """Runs the configured checks; network only, safe to call from a worker thread."""

    def __init__(self, settings: MonitoringSettings, clock: Clock) -> None:
        self.settings = settings
        self._clock = clock

    @property
    def targets(self) -> tuple[HealthTarget, ...]:
        return self.settings.targets

    def check_all(self, *, cafile: str | None = None) -> list[CheckResult]:
        from commander.integrations.health import run_checks  # ssl: not at window start-up

        return run_checks(
            self.settings.targets,
            now=self._clock.now,
            timeout=self.settings.timeout_seconds,
            warning_days=self.settings.warning_days,
            cafile=cafile,
        )


def summary(results: Sequence[CheckResult]) -> str:
    """One line for a status bar: ``5 checks: 1 critical, 1 failing``."""
    if not results:
        return "No health checks configured"
    counts = {state: sum(1 for r in results if r.state == state) for state in CheckState}
    bad = [
        f"{counts[state]} {state.label.lower()}"
        for state in (CheckState.CRITICAL, CheckState.FAILING, CheckState.WARNING)
        if counts[state]
    ]
    noun = "check" if len(results) == 1 else "checks"
    return f"{len(results)} {noun}: " + (", ".join(bad) if bad else "all OK")


def incident_from_check(result: CheckResult) -> tuple[str, Severity]:
    """The title and severity an incident declared from a flagged check gets.

    Certificates carry the procedure's severity (P1 under 24 hours or expired, P2 in the
    warning window); a failing health URL suggests P2, "individual service degradation",
    for the commander to raise if it is an outage.
    """
    if result.state == CheckState.OK:
        raise ValidationError(f"{result.name} is healthy; nothing to declare.")
    if result.kind == "tls" and result.not_after is not None:
        if result.not_after <= result.checked_at:
            what = "Certificate expired"
        elif result.state == CheckState.CRITICAL:
            what = "Critical certificate near expiry"
        else:
            what = "Certificate expiry warning"
        return f"{what}: {result.name} ({result.target})", result.severity or Severity.P2
    if result.kind == "tls":
        return f"TLS endpoint failing: {result.name} ({result.target})", Severity.P2
    return f"Health check failing: {result.name}", result.severity or Severity.P2


def declare_from_check(incidents: IncidentService, result: CheckResult) -> Declared:
    """Declare from a flagged check and log what the check saw, at the time it saw it."""
    title, severity = incident_from_check(result)
    with incidents.workspace.unit_of_work():
        declared = incidents.declare(title=title, severity=severity, services=[result.name])
        incidents.log(
            declared.incident.id,
            f"Health check flagged {result.target}: {result.detail}",
            occurred_at=min(result.checked_at, incidents.workspace.clock.now()),
        )
    return declared
