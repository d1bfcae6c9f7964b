"""What an alert suggests: the incident's severity (a configurable table over a label),
its services, its title, and the timeline lines for when it fired and resolved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from commander.core.alerts import Alert
from commander.core.errors import ValidationError
from commander.core.limits import ALERT_LABEL_MAX, ALERT_LABELS_MAX
from commander.core.policy import Severity, parse_severity
from commander.core.records_json import JsonRecord, json_field
from commander.core.text import TITLE_MAX, clean_text

MAPPING_MAX = ALERT_LABELS_MAX * 10

DEFAULT_SEVERITY_MAP: dict[str, Severity] = {
    "p0": Severity.P0,
    "emergency": Severity.P0,
    "disaster": Severity.P0,
    "p1": Severity.P1,
    "critical": Severity.P1,
    "page": Severity.P1,
    "high": Severity.P1,
    "p2": Severity.P2,
    "error": Severity.P2,
    "major": Severity.P2,
    "warning": Severity.P2,
    "warn": Severity.P2,
    "medium": Severity.P2,
    "p3": Severity.P3,
    "minor": Severity.P3,
    "low": Severity.P3,
    "info": Severity.P3,
    "none": Severity.P3,
}
DEFAULT_SERVICE_LABELS = ("service", "app", "job")


@dataclass(frozen=True)
class SeverityMapping(JsonRecord):
    """How an alert's labels suggest an incident severity and services (configurable).

    Attributes:
        label: the label whose value is looked up (``severity``).
        table: lower-case label value -> severity; values not in it get ``default``.
        service_labels: labels naming the affected service, first present wins.
    """

    label: str = "severity"
    table: Mapping[str, Severity] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITY_MAP), metadata=json_field(sort=True)
    )
    default: Severity = Severity.P2
    service_labels: tuple[str, ...] = DEFAULT_SERVICE_LABELS

    def __post_init__(self) -> None:
        """A label value longer than an alert's label can be, or with control characters,
        can never match: refuse it where the table is set (GUI, CLI, settings file)."""
        if len(self.table) > MAPPING_MAX:
            raise ValidationError(f"The severity table has more than {MAPPING_MAX} entries.")
        for text in (self.label, *self.table, *self.service_labels):
            clean_text(text, what="A label name or value", limit=ALERT_LABEL_MAX)

    def severity_for(self, alert: Alert) -> Severity:
        value = alert.labels.get(self.label, "").strip().lower()
        return self.table.get(value, self.default)

    def reason(self, alert: Alert) -> str:
        value = alert.labels.get(self.label, "")
        severity = self.severity_for(alert)
        if value and value.strip().lower() in self.table:
            return f"{self.label}={value} → {severity}"
        return f"no known {self.label} label → {severity} (default)"

    def services_for(self, alert: Alert) -> list[str]:
        for name in self.service_labels:
            value = alert.labels.get(name, "").strip()
            if value:
                return [value]
        return []

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> SeverityMapping:
        """Raises ValidationError naming the bad entry."""
        table = raw.get("table")
        return cls(
            label=str(raw.get("label") or "severity"),
            table=(
                {str(k).strip().lower(): parse_severity(str(v)) for k, v in table.items()}
                if isinstance(table, Mapping)
                else dict(DEFAULT_SEVERITY_MAP)
            ),
            default=parse_severity(str(raw.get("default") or "P2")),
            service_labels=tuple(
                str(s) for s in raw.get("service_labels") or DEFAULT_SERVICE_LABELS
            ),
        )


def incident_title(alert: Alert) -> str:
    """The title an incident declared from ``alert`` gets: its summary, else its name."""
    name = alert.labels.get("alertname", "")
    summary = " ".join(alert.summary.split())
    if summary and name and name.lower() not in summary.lower():
        title = f"{name}: {summary}"
    else:
        title = summary or name or f"Alert {alert.fingerprint}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def fired_event(alert: Alert) -> str:
    """The timeline line for the moment the alert fired."""
    detail = " ".join(alert.summary.split()) or alert.description
    tail = f" — {detail}" if detail else ""
    return f"Alert fired: {alert.name}{tail}"


def refired_event(alert: Alert) -> str:
    """The timeline line for an alert that fires again after it resolved."""
    return fired_event(alert).replace("Alert fired:", "Alert fired again:", 1)


def resolved_event(alert_name: str) -> str:
    return f"Alert resolved: {alert_name}"


def label_text(labels: Mapping[str, str], skip: Sequence[str] = ()) -> str:
    """``name=value`` pairs, alertname first, for one line of text."""
    ordered = sorted(labels.items(), key=lambda kv: (kv[0] != "alertname", kv[0]))
    return ", ".join(f"{k}={v}" for k, v in ordered if k not in skip)
