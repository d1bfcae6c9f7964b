"""Alert payloads from Alertmanager (API v2, webhook v4) and Grafana, read into alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.alerts import (
    FIRING,
    RESOLVED,
    AlertPayloadError,
    label_fingerprint,
    parse_alertmanager_webhook,
    parse_grafana_webhook,
    parse_payload,
    parse_v2_alerts,
)
from commander.core.errors import CommanderError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"
NOW = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)


def load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def test_alertmanager_webhook_v4_documented_example() -> None:
    [alert] = parse_alertmanager_webhook(load("alertmanager_webhook_v4.json"))
    assert alert.fingerprint == "1a30ba71cca2921f"
    assert alert.status == FIRING and alert.firing
    assert alert.name == "ProbeFailure"
    assert alert.severity_label == "critical"
    assert alert.summary == "BlackBox Probe Failure: https://server.example.org"
    assert alert.description.startswith("Instance https://server.example.org has been down")
    assert alert.starts_at == datetime(2023, 2, 6, 13, 8, 45, 828000, tzinfo=UTC)
    assert alert.ends_at is None  # Go's zero time means "still firing"
    assert alert.generator_url.startswith("http://prometheus.example.org:9090/graph?")
    assert alert.source == "webhook:alertmanager"
    assert alert.state_text == "Firing"


def test_alertmanager_webhook_resolved() -> None:
    [alert] = parse_alertmanager_webhook(load("alertmanager_webhook_v4_resolved.json"))
    assert alert.status == RESOLVED and alert.state_text == "Resolved"
    assert alert.ends_at == datetime(2023, 2, 6, 13, 41, 15, 828000, tzinfo=UTC)


def test_grafana_documented_example() -> None:
    alerts = parse_grafana_webhook(load("grafana_webhook.json"))
    assert [a.fingerprint for a in alerts] == ["c6eadffa33fcdf37", "bc97ff14869b13e3"]
    memory = alerts[0]
    assert memory.name == "High memory usage"
    assert memory.labels["team"] == "blue"
    assert memory.summary == "This alert was triggered for zone us-1"
    assert memory.starts_at == datetime(2021, 10, 12, 7, 51, 3, 157076, tzinfo=UTC)
    assert memory.generator_url == "https://play.grafana.org/alerting/1afz29v7z/edit"
    assert memory.source == "webhook:grafana"


def test_v2_firing_silenced_and_inhibited() -> None:
    alerts = {
        a.fingerprint: a for a in parse_v2_alerts(load("v2_silenced.json"), source="am", now=NOW)
    }
    assert alerts["4f3a9c2e71d05b88"].state_text == "Firing"
    cert = alerts["9b1e07c4d2a36f15"]
    assert cert.silenced and cert.silenced_by == ("0d5c0f3e-7a8b-4c1d-9e2f-3a4b5c6d7e8f",)
    assert cert.state_text == "Silenced" and cert.firing
    latency = alerts["c2d4e6f8a0b1c3d5"]
    assert latency.inhibited and latency.state_text == "Inhibited"
    assert all(a.source == "am" for a in alerts.values())


def test_v2_alert_past_its_end_is_resolved() -> None:
    [first, *_] = parse_v2_alerts(load("v2_firing.json"), source="am", now=NOW + timedelta(hours=1))
    assert first.status == RESOLVED


def test_payload_kind_is_recognised() -> None:
    assert parse_payload(load("grafana_webhook.json"), now=NOW)[0].source == "webhook:grafana"
    assert parse_payload(load("alertmanager_webhook_v4.json"), now=NOW)[0].name == "ProbeFailure"
    assert len(parse_payload(load("v2_firing.json"), now=NOW)) == 2


def test_fingerprint_is_alertmanagers() -> None:
    # The test vector of prometheus/common's LabelsToSignature.
    labels = {"name": "garland, briggs", "fear": "love is not enough"}
    assert int(label_fingerprint(labels), 16) == 5799056148416392346
    payload = load("alertmanager_webhook_v4.json")
    del payload["alerts"][0]["fingerprint"]  # type: ignore[index]
    [alert] = parse_alertmanager_webhook(payload)
    assert alert.fingerprint == label_fingerprint(dict(alert.labels))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"version": "3", "alerts": []}, "version 3 is not supported"),
        ({"version": "4", "alerts": {}}, "'alerts' is an object, not a list"),
        ({"version": "4", "alerts": [{"labels": {"a": 1}, "startsAt": "x"}]}, "'a' is a number"),
        ({"version": "4", "alerts": [{"labels": {"a": "b"}, "startsAt": "yesterday"}]}, "RFC 3339"),
        ({"version": "4", "alerts": [{"labels": {"a": "b"}}]}, "startsAt is missing"),
        (
            {"version": "4", "alerts": [{"labels": {}, "startsAt": "2026-01-01T00:00:00Z"}]},
            "no labels",
        ),
        ({"version": "4", "alerts": ["x"]}, "alert 1 is a string"),
        (
            {
                "version": "4",
                "alerts": [
                    {"labels": {"a": "b"}, "status": "on fire", "startsAt": "2026-01-01T00:00:00Z"}
                ],
            },
            "neither firing nor resolved",
        ),
        ("[]", "a string"),
        (42, "a number"),
    ],
)
def test_malformed_payloads_say_where(payload: object, message: str) -> None:
    with pytest.raises(AlertPayloadError) as err:
        parse_payload(payload, now=NOW)
    assert message in str(err.value)
    assert isinstance(err.value, CommanderError)


def test_v2_malformed() -> None:
    with pytest.raises(AlertPayloadError, match="instead of a list"):
        parse_v2_alerts({"status": "success"}, source="am", now=NOW)
    with pytest.raises(AlertPayloadError, match="alert 1: labels"):
        parse_v2_alerts([{"fingerprint": "x"}], source="am", now=NOW)
    with pytest.raises(AlertPayloadError, match="silencedBy"):
        parse_v2_alerts(
            [
                {
                    "labels": {"a": "b"},
                    "status": {"silencedBy": "s"},
                    "startsAt": "2026-01-01T00:00:00Z",
                }
            ],
            source="am",
            now=NOW,
        )
