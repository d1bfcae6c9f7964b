"""Alerts in, declare from alert, and resolution logged once on the incidents it belongs to."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.alerts import parse_v2_alerts
from commander.core.errors import NotFoundError, ValidationError
from commander.core.policy import Severity
from commander.integrations.alertmanager import SourceResult
from commander.services.alerts import AlertService
from commander.storage import oplog

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"
AM = "http://am.example:9093"


def load(name: str) -> object:
    return json.loads((FIXTURES / name).read_text())


def _entries(incidents, incident_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.event for e in incidents.timeline(incident_id)]


def _poll(service: AlertService, name: str, now: datetime) -> object:
    alerts = parse_v2_alerts(load(name), source=AM, now=now)
    return service.apply_poll([SourceResult(AM, alerts)])


def test_declare_from_webhook_alert_then_resolution_logged_once(
    workspace, incidents, clock
) -> None:
    service = AlertService(workspace, incidents=incidents)
    report = service.ingest_payload(load("alertmanager_webhook_v4.json"))
    assert report.new == ["1a30ba71cca2921f"] and report.logged == 0
    declared = service.declare_from_alert("1a30ba71")  # a prefix is enough
    incident = declared.incident
    assert incident.severity == Severity.P1  # severity=critical
    assert declared.reason == "severity=critical → P1"
    assert incident.title == "ProbeFailure: BlackBox Probe Failure: https://server.example.org"
    assert incident.services == ("http_checks",)
    timeline = incidents.timeline(incident.id)
    fired = timeline[0]  # the alert fired before the incident was declared
    assert (
        fired.event
        == "Alert fired: ProbeFailure — BlackBox Probe Failure: https://server.example.org"
    )
    assert fired.occurred_at == datetime(2023, 2, 6, 13, 8, 45, 828000, tzinfo=UTC)
    assert "severity=critical → P1" in fired.action
    assert "http://prometheus.example.org:9090/graph" in fired.action
    assert timeline[1].event.startswith("Incident declared: P1")
    [view] = service.views()
    assert [i.ref for i in view.incidents] == [incident.ref]

    clock.advance(600)
    resolved = service.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
    assert resolved.resolved == ["1a30ba71cca2921f"] and resolved.logged == 1
    again = service.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
    assert again.logged == 0 and again.resolved == []
    events = _entries(incidents, incident.id)
    assert events.count("Alert resolved: ProbeFailure") == 1
    entry = next(e for e in incidents.timeline(incident.id) if e.event.startswith("Alert resolved"))
    assert entry.occurred_at == datetime(2023, 2, 6, 13, 41, 15, 828000, tzinfo=UTC)
    with pytest.raises(ValidationError, match="already linked"):
        service.link("1a30ba71cca2921f", incident.id)


def test_poll_dedupes_marks_silenced_and_resolves_what_disappears(
    workspace, incidents, clock
) -> None:
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    service = AlertService(workspace, incidents=incidents)
    first = _poll(service, "v2_firing.json", clock.now())
    assert sorted(first.new) == ["4f3a9c2e71d05b88", "9b1e07c4d2a36f15"]
    declared = service.declare_from_alert("4f3a9c2e71d05b88")
    assert declared.incident.services == ("api-gateway",)

    clock.advance(300)
    second = _poll(service, "v2_silenced.json", clock.now())
    assert second.new == ["c2d4e6f8a0b1c3d5"] and second.resolved == []
    views = {v.alert.fingerprint: v for v in service.views()}
    assert views["9b1e07c4d2a36f15"].alert.state_text == "Silenced"
    assert views["c2d4e6f8a0b1c3d5"].alert.state_text == "Inhibited"
    states = [v.alert.state_text for v in service.views()]
    assert states == ["Firing", "Inhibited", "Silenced"]  # firing first

    clock.advance(60)
    third = _poll(service, "v2_after_resolve.json", clock.now())
    assert third.resolved == ["4f3a9c2e71d05b88"] and third.logged == 1
    assert "Alert resolved: HighErrorRate" in _entries(incidents, declared.incident.id)
    assert service.views()[-1].alert.state_text == "Resolved"
    # A failing source resolves nothing; the next good poll does not log twice.
    failed = service.apply_poll([SourceResult(AM, error="am.example:9093 answered 500")])
    assert failed.resolved == [] and failed.errors == ["am.example:9093 answered 500"]
    fourth = _poll(service, "v2_after_resolve.json", clock.now())
    assert fourth.logged == 0
    assert _entries(incidents, declared.incident.id).count("Alert resolved: HighErrorRate") == 1


def test_resolved_alerts_are_forgotten_after_a_day(workspace, clock) -> None:
    service = AlertService(workspace)
    service.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
    assert len(service.views()) == 1
    assert service.views(include_resolved=False) == []
    clock.advance(timedelta(hours=25))
    service.ingest([])
    assert service.views() == []


def test_declaring_a_resolved_alert_logs_both(workspace, incidents) -> None:
    service = AlertService(workspace, incidents=incidents)
    service.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
    declared = service.declare_from_alert("1a30ba71cca2921f", severity="P2")
    assert declared.severity == Severity.P2 and "mapping suggested P1" in declared.reason
    events = _entries(incidents, declared.incident.id)
    assert events[0].startswith("Alert fired") and "Alert resolved: ProbeFailure" in events


def test_link_to_existing_incident_and_errors(workspace, incidents) -> None:
    service = AlertService(workspace, incidents=incidents)
    service.ingest_payload(load("grafana_webhook.json"))
    incident = incidents.declare(title="Memory pressure", severity="P2").incident
    service.link("c6eadffa33fcdf37", incident.id)
    assert "Alert fired: High memory usage — This alert was triggered for zone us-1" in _entries(
        incidents, incident.id
    )
    with pytest.raises(NotFoundError):
        service.declare_from_alert("ffff")
    with pytest.raises(NotFoundError):
        service.link("c6eadffa33fcdf37", "no-such-incident")


def test_two_laptops_logging_the_same_resolution_converge(tmp_path, clock) -> None:
    """Both laptops saw the alert end before syncing: one "Alert resolved" entry each side."""
    from commander.services.incidents import IncidentService
    from commander.services.workspace import Workspace
    from commander.storage.queries import ops_in_chain_order

    a = Workspace.open(tmp_path / "a", author="a", clock=clock, zone=UTC)
    b = Workspace.open(tmp_path / "b", author="b", clock=clock, zone=UTC)
    try:
        service_a = AlertService(a)
        service_a.ingest_payload(load("alertmanager_webhook_v4.json"))
        incident = service_a.declare_from_alert("1a30ba71cca2921f").incident
        _copy_ops(a, b)
        AlertService(b).ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
        service_a.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
        _copy_ops(a, b)
        _copy_ops(b, a)
        for ws in (a, b):
            events = [e.event for e in IncidentService(ws).timeline(incident.id)]
            assert events.count("Alert resolved: ProbeFailure") == 1
        with a.read() as conn:
            assert sum(1 for op in ops_in_chain_order(conn) if op.field == "resolved") == 2
    finally:
        a.close()
        b.close()


def _copy_ops(source, target) -> None:  # type: ignore[no-untyped-def]
    from commander.storage.queries import ops_in_chain_order

    with source.read() as conn:
        ops = list(ops_in_chain_order(conn))
    with target.write() as conn:
        have = {row[0] for row in conn.exec_driver_sql("SELECT op_id FROM op").fetchall()}
        for op in ops:
            if op.op_id not in have:
                oplog.store(conn, op)
                oplog.apply(conn, op)


def _again(name: str, starts: str, ends: str | None = None) -> object:
    """The fixture alert, firing again from ``starts`` (resolved at ``ends`` if given)."""
    data = load(name)
    assert isinstance(data, dict)
    alert = data["alerts"][0]
    alert["startsAt"] = starts
    if ends is not None:
        alert["status"], alert["endsAt"] = "resolved", ends
        data["status"] = "resolved"
    return data


def test_an_alert_that_fires_again_is_logged_and_so_is_its_next_resolution(
    workspace, incidents, clock
) -> None:  # type: ignore[no-untyped-def]
    service = AlertService(workspace, incidents=incidents)
    service.ingest_payload(load("alertmanager_webhook_v4.json"))
    incident = service.declare_from_alert("1a30ba71").incident
    service.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))  # ended 13:41
    refired = _again("alertmanager_webhook_v4.json", "2023-02-06T14:02:00Z")
    report = service.ingest_payload(refired)
    assert report.new == ["1a30ba71cca2921f"] and report.logged == 1
    assert service.ingest_payload(refired).logged == 0  # reported again: logged once
    entry = next(e for e in incidents.timeline(incident.id) if "fired again" in e.event)
    assert entry.event.startswith("Alert fired again: ProbeFailure — BlackBox Probe Failure")
    assert entry.occurred_at == datetime(2023, 2, 6, 14, 2, tzinfo=UTC)
    assert entry.action == "It had resolved at 13:41"
    [view] = service.views()
    assert view.alert.firing
    ended = _again("alertmanager_webhook_v4.json", "2023-02-06T14:02:00Z", "2023-02-06T14:30:00Z")
    assert service.ingest_payload(ended).logged == 1
    events = _entries(incidents, incident.id)
    assert events.count("Alert resolved: ProbeFailure") == 2
    last = [e for e in incidents.timeline(incident.id) if e.event.startswith("Alert resolved")]
    assert last[-1].occurred_at == datetime(2023, 2, 6, 14, 30, tzinfo=UTC)


def test_a_link_settles_the_same_whatever_order_its_ops_arrive_in(tmp_path, clock) -> None:
    """Firing, resolution, firing again, resolution: the latest firing and its resolution."""
    from commander.services.workspace import Workspace
    from commander.storage.queries import ops_in_chain_order

    a = Workspace.open(tmp_path / "a", author="a", clock=clock, zone=UTC)
    try:
        service = AlertService(a)
        service.ingest_payload(load("alertmanager_webhook_v4.json"))
        service.declare_from_alert("1a30ba71cca2921f")
        service.ingest_payload(load("alertmanager_webhook_v4_resolved.json"))
        service.ingest_payload(_again("alertmanager_webhook_v4.json", "2023-02-06T14:02:00Z"))
        firing = _links(a)
        service.ingest_payload(
            _again("alertmanager_webhook_v4.json", "2023-02-06T14:02:00Z", "2023-02-06T14:30:00Z")
        )
        settled = _links(a)
        with a.read() as conn:
            ops = list(ops_in_chain_order(conn))
    finally:
        a.close()
    assert firing[0][1:] == ("2023-02-06T14:02:00.000Z", None)
    assert settled[0][1:] == ("2023-02-06T14:02:00.000Z", "2023-02-06T14:30:00.000Z")
    for n, order in enumerate((ops[::-1], ops[1::2] + ops[::2])):
        b = Workspace.open(tmp_path / f"b{n}", author="b", clock=clock, zone=UTC)
        try:
            with b.write() as conn:
                for op in order:  # a sync can bring them in any order
                    oplog.store(conn, op)
                    oplog.apply(conn, op)
            assert _links(b) == settled
        finally:
            b.close()


def _links(ws) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    from commander.core.clock import iso
    from commander.storage import alert_store

    with ws.read() as conn:
        return [
            (link.incident_id, iso(link.fired_at), link.resolved_at and iso(link.resolved_at))
            for link in alert_store.all_links(conn)
        ]
