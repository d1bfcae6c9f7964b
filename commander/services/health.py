"""Health endpoints and certificates, checked on demand and on the window's schedule.

The results are not stored: they are a reading of now, and a check takes seconds. What the
procedure flags (a certificate under 24 hours is P1) comes back with each result, so the
panel, the CLI and a script all see the same verdict.
"""

from __future__ import annotations

from collections.abc import Sequence

from commander.core.clock import Clock
from commander.core.health import CheckResult, CheckState
from commander.integrations.health import run_checks
from commander.integrations.monitoring_settings import HealthTarget, MonitoringSettings


class HealthService:
    """Runs the configured checks; network only, safe to call from a worker thread."""

    def __init__(self, settings: MonitoringSettings, clock: Clock) -> None:
        self.settings = settings
        self._clock = clock

    @property
    def targets(self) -> tuple[HealthTarget, ...]:
        return self.settings.targets

    def check_all(self, *, cafile: str | None = None) -> list[CheckResult]:
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
