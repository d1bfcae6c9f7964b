"""The demo alerts: three of them once, the firing watchdog linked to the demo incident."""

from __future__ import annotations

from datetime import timedelta

from commander.core.alerts import FIRING, RESOLVED
from commander.services.alerts import AlertService
from commander.services.demo.alerts import DEMO_SOURCE, add_demo_alerts
from commander.services.demo.create import create_demo
from commander.services.demo.story import DEMO_INCIDENT_ID, STORY_MINUTES


def test_the_demo_alerts_are_added_once_and_tell_the_aftermath(workspace, clock) -> None:
    incident = create_demo(workspace).incident
    service = AlertService(workspace)
    assert service.views() == []  # the demo incident comes without alerts
    assert add_demo_alerts(workspace) == 3
    assert add_demo_alerts(workspace) == 0  # loading twice adds nothing
    views = {v.alert.labels["alertname"]: v for v in service.views()}
    assert sorted(views) == ["CertRenewalJobFailed", "CertificateExpired", "HighLatency"]
    assert {v.alert.source for v in views.values()} == {DEMO_SOURCE}
    expired = views["CertificateExpired"].alert
    assert expired.status == RESOLVED
    assert expired.starts_at == clock.now() - timedelta(minutes=STORY_MINUTES)
    assert views["CertRenewalJobFailed"].alert.status == FIRING
    assert [i.id for i in views["CertRenewalJobFailed"].incidents] == [DEMO_INCIDENT_ID]
    assert views["HighLatency"].alert.silenced_by and not views["HighLatency"].incidents
    assert incident.id == DEMO_INCIDENT_ID


def test_without_the_demo_incident_the_alerts_stand_alone(workspace) -> None:
    assert add_demo_alerts(workspace) == 3
    views = AlertService(workspace).views()
    assert len(views) == 3 and all(v.incidents == () for v in views)
