"""The procedure's classification: severities, statuses and phases.

The severity table is read from the built-in procedure file (``core/procedures/seed.toml``,
quoted from ``incident-response-procedures.md``), so the declare dialog, the CLI and the deadline
engine read one table; the keys P0-P3 stay an enum because stored incidents name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from commander.core.errors import ValidationError
from commander.core.procedure_file import seed_procedure


class Severity(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"

    @property
    def level(self) -> SeverityLevel:
        return SEVERITY_LEVELS[self]

    @property
    def rank(self) -> int:
        """0 is the most severe; sorts incidents highest severity first."""
        return int(self.value[1])


@dataclass(frozen=True)
class SeverityLevel:
    """One row of the procedure's severity table."""

    severity: Severity
    name: str
    headline: str
    definition: str
    examples: tuple[str, ...]
    response_time_text: str
    response_time: timedelta | None  # None: next business day (needs a calendar)
    escalation: str


def _levels() -> dict[Severity, SeverityLevel]:
    """The severity table of the built-in procedure file (``core/procedures/seed.toml``)."""
    procedure = seed_procedure()
    levels = {}
    for severity in Severity:
        spec = procedure.severity(severity.value)
        if spec is None:
            raise ValidationError(f"The built-in procedure has no severity {severity.value}.")
        response = spec.response_time
        levels[severity] = SeverityLevel(
            severity,
            spec.name,
            spec.headline,
            spec.definition,
            spec.examples,
            spec.response_time_text,
            None if response is None else response.exact,
            spec.escalation,
        )
    return levels


SEVERITY_LEVELS: dict[Severity, SeverityLevel] = _levels()


class Status(StrEnum):
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_active(self) -> bool:
        return self not in (Status.RESOLVED, Status.CLOSED)


class Phase(StrEnum):
    """The procedure's response phases, in order."""

    DETECTION = "detection"
    INVESTIGATION = "investigation"
    CONTAINMENT = "containment"
    RESOLUTION = "resolution"
    POST_INCIDENT = "post-incident"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS: dict[Phase, str] = {
    Phase.DETECTION: "Detection & initial response",
    Phase.INVESTIGATION: "Investigation & diagnosis",
    Phase.CONTAINMENT: "Containment & mitigation",
    Phase.RESOLUTION: "Resolution & recovery",
    Phase.POST_INCIDENT: "Post-incident",
}

_PHASE_ALIASES = {
    "detection": Phase.DETECTION,
    "initial-response": Phase.DETECTION,
    "investigation": Phase.INVESTIGATION,
    "diagnosis": Phase.INVESTIGATION,
    "containment": Phase.CONTAINMENT,
    "mitigation": Phase.CONTAINMENT,
    "containment/mitigation": Phase.CONTAINMENT,
    "resolution": Phase.RESOLUTION,
    "recovery": Phase.RESOLUTION,
    "resolution/recovery": Phase.RESOLUTION,
    "post-incident": Phase.POST_INCIDENT,
    "postincident": Phase.POST_INCIDENT,
    "post_incident": Phase.POST_INCIDENT,
    "review": Phase.POST_INCIDENT,
}

_SEVERITY_ALIASES = {
    "critical": Severity.P0,
    "high": Severity.P1,
    "medium": Severity.P2,
    "low": Severity.P3,
}


def parse_severity(text: str) -> Severity:
    """Accept ``P1``, ``p1``, ``1`` or the level's name (``high``)."""
    key = str(text).strip().lower()
    if key in _SEVERITY_ALIASES:
        return _SEVERITY_ALIASES[key]
    if key.startswith("p"):
        key = key[1:]
    if key in {"0", "1", "2", "3"}:
        return Severity(f"P{key}")
    raise ValidationError(f"Unknown severity {text!r}: use P0, P1, P2 or P3.")


def parse_status(text: str) -> Status:
    key = str(text).strip().lower()
    try:
        return Status(key)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise ValidationError(f"Unknown status {text!r}: use one of {choices}.") from None


def parse_phase(text: str) -> Phase:
    key = "/".join(part.strip() for part in str(text).lower().replace("&", "/").split("/"))
    key = "-".join(key.split())
    if key in _PHASE_ALIASES:
        return _PHASE_ALIASES[key]
    choices = ", ".join(p.value for p in Phase)
    raise ValidationError(f"Unknown phase {text!r}: use one of {choices}.")
