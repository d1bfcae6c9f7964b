"""An exercise scenario as data: the incident to declare and the injects, each at an offset.

An inject is what happens *to* the team during a practice run: an alert firing or resolving,
an impact sample, a message from a customer or partner, a role holder who stops answering.
What the team does in reply is theirs to do; the debrief measures it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from commander.core.errors import ValidationError

_OFFSET = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$")
OFFSET_MAX = timedelta(hours=24)


class InjectKind(StrEnum):
    ALERT_FIRING = "alert_firing"
    ALERT_RESOLVED = "alert_resolved"
    IMPACT = "impact"
    MESSAGE = "message"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Inject:
    """One timed event. Which fields matter depends on ``kind``:

    - alert_firing / alert_resolved: ``alert`` (the alert name), ``labels``, ``summary``;
    - impact: ``metric`` (a ``core.impact.Metric`` value) and ``value``;
    - message: ``sender`` (who it is from) and ``text``;
    - unreachable: ``role`` (a role key) and ``text`` (an optional note).
    """

    at: timedelta
    kind: InjectKind
    alert: str = ""
    labels: tuple[tuple[str, str], ...] = ()
    summary: str = ""
    metric: str = ""
    value: float = 0.0
    sender: str = ""
    text: str = ""
    role: str = ""

    def describe(self) -> str:
        """One line for the CLI and the exercise log."""
        if self.kind is InjectKind.ALERT_FIRING:
            return f"alert {self.alert} fires"
        if self.kind is InjectKind.ALERT_RESOLVED:
            return f"alert {self.alert} resolves"
        if self.kind is InjectKind.IMPACT:
            return f"impact {self.metric} = {self.value:g}"
        if self.kind is InjectKind.MESSAGE:
            return f"message from {self.sender}"
        return f"the {self.role.replace('_', ' ')} holder is unreachable"


@dataclass(frozen=True)
class ScenarioIncident:
    title: str
    severity: str
    services: tuple[str, ...] = ()
    impact: str = ""
    partners_affected: bool = False  # set as the exercise starts: the partner clock runs
    security_related: bool = False


@dataclass(frozen=True)
class Scenario:
    """A checked scenario; injects sorted by offset (stable for equal offsets)."""

    title: str
    incident: ScenarioIncident
    injects: tuple[Inject, ...] = field(default=())
    description: str = ""

    @property
    def length(self) -> timedelta:
        return self.injects[-1].at if self.injects else timedelta(0)


def parse_offset(text: object) -> timedelta:
    """``0m``, ``90s``, ``5m``, ``1h30m``, ``12m30s``: how long after the start."""
    match = _OFFSET.match(str(text)) if isinstance(text, str) else None
    if not match or not any(match.groups()):
        raise ValidationError(f"{text!r} is not an offset: write it like 0m, 90s, 5m or 1h30m.")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    offset = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if offset > OFFSET_MAX:
        raise ValidationError(f"{text!r} is more than 24 hours after the start.")
    return offset


def format_offset(offset: timedelta) -> str:
    """The inverse of ``parse_offset``: ``1h30m``, ``5m``, ``12m30s``, ``0m``."""
    total = int(offset.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    text += f"{seconds}s" if seconds else ""
    return text or "0m"
