"""What an alert suggests: a severity by a configurable label table, services, title, lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commander.core.alert_mapping import (
    MAPPING_MAX,
    SeverityMapping,
    fired_event,
    incident_title,
    label_text,
    refired_event,
    resolved_event,
)
from commander.core.alerts import Alert, parse_v2_alerts
from commander.core.errors import CommanderError, ValidationError
from commander.core.policy import Severity
from commander.core.text import TITLE_MAX

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"
NOW = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)


def load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def test_severity_mapping_default_and_configured() -> None:
    alerts = parse_v2_alerts(load("v2_silenced.json"), source="am", now=NOW)
    mapping = SeverityMapping()
    assert mapping.severity_for(alerts[0]) == Severity.P1  # severity=critical
    assert mapping.severity_for(alerts[1]) == Severity.P2  # severity=warning
    assert mapping.reason(alerts[0]) == "severity=critical → P1"
    assert mapping.services_for(alerts[0]) == ["api-gateway"]
    assert mapping.services_for(alerts[1]) == ["blackbox-tls"]  # falls back to job
    custom = SeverityMapping.from_json({"table": {"CRITICAL": "P0"}, "default": "P3"})
    assert custom.severity_for(alerts[0]) == Severity.P0
    assert custom.severity_for(alerts[1]) == Severity.P3
    assert "default" in custom.reason(alerts[1])
    assert SeverityMapping.from_json(mapping.to_json()) == mapping
    with pytest.raises(CommanderError):
        SeverityMapping.from_json({"table": {"critical": "P9"}})


def test_title_and_timeline_text() -> None:
    alerts = parse_v2_alerts(load("v2_firing.json"), source="am", now=NOW)
    assert incident_title(alerts[0]) == "HighErrorRate: api-gateway 5xx error rate above 1%"
    assert fired_event(alerts[0]) == (
        "Alert fired: HighErrorRate — api-gateway 5xx error rate above 1%"
    )


def alert(labels: dict[str, str], annotations: dict[str, str] | None = None) -> Alert:
    return Alert(
        fingerprint="a1b2c3d4e5f60718",
        status="firing",
        labels=labels,
        annotations=annotations or {},
        starts_at=NOW,
    )


def test_the_label_value_is_looked_up_trimmed_and_in_any_case() -> None:
    mapping = SeverityMapping()
    assert mapping.severity_for(alert({"severity": "  Emergency "})) == Severity.P0
    assert mapping.severity_for(alert({"severity": "INFO"})) == Severity.P3
    assert mapping.reason(alert({"severity": "Page"})) == "severity=Page → P1"


def test_an_unknown_or_missing_label_gets_the_default_and_says_so() -> None:
    mapping = SeverityMapping()
    assert mapping.severity_for(alert({"severity": "sev-unheard-of"})) == Severity.P2
    assert mapping.reason(alert({})) == "no known severity label → P2 (default)"


def test_another_label_and_service_labels_can_be_configured() -> None:
    mapping = SeverityMapping.from_json(
        {"label": "priority", "table": {"Urgent": "P0"}, "service_labels": ["team", "app"]}
    )
    urgent = alert({"priority": "urgent", "severity": "info", "app": "checkout", "team": " "})
    assert mapping.severity_for(urgent) == Severity.P0
    assert mapping.services_for(urgent) == ["checkout"]  # a blank label is not a service
    assert mapping.services_for(alert({"service": "api"})) == []


def test_a_table_entry_with_a_control_character_is_refused() -> None:
    with pytest.raises(ValidationError, match="A label name or value contains a control"):
        SeverityMapping(table={"crit\x1bical": Severity.P1})


def test_a_table_larger_than_the_limit_is_refused() -> None:
    table = {f"v{i}": Severity.P3 for i in range(MAPPING_MAX + 1)}
    with pytest.raises(ValidationError, match=f"more than {MAPPING_MAX} entries"):
        SeverityMapping(table=table)


def test_a_bad_default_is_refused_with_the_severities_to_use() -> None:
    with pytest.raises(ValidationError, match="use P0, P1, P2 or P3"):
        SeverityMapping.from_json({"default": "urgent"})


def test_the_title_joins_name_and_summary_unless_the_summary_already_names_it() -> None:
    assert incident_title(alert({"alertname": "DiskFull"}, {"summary": "disk  full\n on db1"})) == (
        "DiskFull: disk full on db1"
    )
    assert incident_title(alert({"alertname": "DiskFull"}, {"summary": "diskfull on db1"})) == (
        "diskfull on db1"
    )
    assert incident_title(alert({"alertname": "DiskFull"})) == "DiskFull"
    assert incident_title(alert({})) == "Alert a1b2c3d4e5f60718"


def test_a_long_title_is_cut_to_the_limit_with_an_ellipsis() -> None:
    title = incident_title(alert({}, {"summary": "x" * 500}))
    assert len(title) == TITLE_MAX
    assert title.endswith("x…")


def test_the_timeline_lines_for_fired_again_and_resolved() -> None:
    down = alert({"alertname": "DiskFull"}, {"description": "db1 at 99%"})
    assert fired_event(down) == "Alert fired: DiskFull — db1 at 99%"
    assert refired_event(down) == "Alert fired again: DiskFull — db1 at 99%"
    assert fired_event(alert({"alertname": "DiskFull"})) == "Alert fired: DiskFull"
    assert resolved_event("DiskFull") == "Alert resolved: DiskFull"


def test_label_text_puts_alertname_first_then_sorts_and_skips() -> None:
    labels = {"zone": "b", "alertname": "DiskFull", "job": "node", "severity": "warning"}
    assert label_text(labels) == "alertname=DiskFull, job=node, severity=warning, zone=b"
    assert label_text(labels, skip=("severity", "alertname")) == "job=node, zone=b"
