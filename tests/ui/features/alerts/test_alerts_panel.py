"""The Alerts and health dock: declare from alert, polling a real server, health checks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt

from commander.core.alerts import parse_v2_alerts
from commander.integrations.monitoring_settings import (
    HealthTarget,
    MonitoringSettings,
    load_monitoring_settings,
)
from commander.integrations.secrets import MemoryKeyring
from commander.services.alerts import AlertService
from commander.ui.features.alerts.alert_model import COL_INCIDENT, COL_STATE, MUTED
from commander.ui.features.alerts.health_model import COL_STATE as HEALTH_STATE
from tests.integrations.conftest import RecordingServer, Reply

FIXTURES = Path(__file__).parents[3] / "fixtures" / "alerts"


@pytest.fixture(autouse=True)
def _memory_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    srv = RecordingServer()
    yield srv
    srv.close()


def _live(name: str, now: datetime) -> str:
    """A recorded answer whose endsAt lies ahead, as a live Alertmanager's does."""
    later = (now + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    text = (FIXTURES / name).read_text()
    for recorded in ("2026-11-28T10:09:00.000Z", "2026-11-28T10:14:00.000Z"):
        text = text.replace(recorded, later)
    return text


def test_declare_from_alert_with_one_click(qtbot, window, workspace) -> None:
    feature = window.monitoring
    service = AlertService(workspace)
    payload = json.loads((FIXTURES / "alertmanager_webhook_v4.json").read_text())
    service.ingest_payload(payload)
    feature.reload()
    assert window.empty_state.isVisible()  # no incident yet
    panel = feature.alerts_panel
    assert panel.selected() is not None and panel.declare_button.isEnabled()
    qtbot.mouseClick(panel.declare_button, Qt.MouseButton.LeftButton)
    incident = window.current_incident()
    assert incident is not None and incident.severity.value == "P1"
    assert incident.title == "ProbeFailure: BlackBox Probe Failure: https://server.example.org"
    first = window.timeline_model.entry_at(0)
    assert first.event.startswith("Alert fired: ProbeFailure")
    assert "severity=critical → P1" in first.action
    assert feature.alert_model.index(0, COL_INCIDENT).data() == incident.ref
    assert "declared from alert ProbeFailure" in window.statusBar().currentMessage()
    assert panel.link_button.isEnabled()  # an incident is shown now


def test_polling_a_real_server_marks_silenced_and_backs_off(qtbot, window, server, clock) -> None:
    feature = window.monitoring
    feature._offline = lambda: False
    now = clock.now()
    server.replies = [Reply(200, _live("v2_silenced.json", now)), Reply(500, "down")]
    feature.apply_settings(MonitoringSettings(sources=(server.url,), poll_seconds=60))
    qtbot.waitUntil(lambda: "polled" in feature.alerts_panel.status_label.text(), timeout=5000)
    model = feature.alert_model
    states = [model.index(r, COL_STATE).data() for r in range(model.rowCount())]
    assert states == ["Firing", "Inhibited", "Silenced"]  # firing first
    silenced = model.index(2, COL_STATE)
    assert silenced.data(Qt.ItemDataRole.ForegroundRole).color() == MUTED
    assert feature.tabs.tabText(0) == "Alerts (1 firing)"
    assert "1 firing, 2 silenced or inhibited" in feature.alerts_panel.status_label.text()
    assert feature.dock.isVisible()
    # Only the unmuted one is announced.
    assert window.notifier.sent[-1] == ("1 new alert firing", "P1 HighErrorRate")
    feature.poll_now()
    host = server.url.removeprefix("http://")
    qtbot.waitUntil(
        lambda: "answered 500" in feature.alerts_panel.status_label.text(), timeout=5000
    )
    assert feature.alerts_panel.status_label.text() == f"{host} answered 500 — retrying in 30 s"
    assert feature.poll_timer.isActive() and feature.poll_timer.interval() == 30_000
    assert model.rowCount() == 3  # a failing source resolves nothing
    feature.stop()


def test_offline_polls_nothing(qtbot, window, server) -> None:
    feature = window.monitoring
    feature._offline = lambda: True
    feature.apply_settings(MonitoringSettings(sources=(server.url,)))
    qtbot.waitUntil(lambda: "Offline" in feature.alerts_panel.status_label.text(), timeout=3000)
    assert server.requests == [] and not feature.polling
    feature.stop()


def test_resolution_after_poll_reaches_the_timeline(
    qtbot, window, workspace, server, clock
) -> None:
    feature = window.monitoring
    feature._offline = lambda: False
    now = clock.now()
    AlertService(workspace).ingest(
        parse_v2_alerts(json.loads(_live("v2_firing.json", now)), source=server.url, now=now)
    )
    feature.reload()
    feature.alerts_panel.select("4f3a9c2e71d05b88")
    incident_id = feature.declare_selected()
    assert incident_id is not None
    server.replies = [Reply(200, "[]")]
    feature.apply_settings(MonitoringSettings(sources=(server.url,)))
    qtbot.waitUntil(lambda: "polled" in feature.alerts_panel.status_label.text(), timeout=5000)
    events = [
        window.timeline_model.entry_at(r).event for r in range(window.timeline_model.rowCount())
    ]
    assert events.count("Alert resolved: HighErrorRate") == 1
    feature.stop()


def test_health_tab_flags_a_certificate_under_24_hours(
    qtbot, window, tmp_path, incidents, clock
) -> None:
    from tests.integrations.tls_server import TlsServer, make_certificate

    cert, key, _not_after = make_certificate(
        tmp_path, now=clock.now(), valid_for=timedelta(hours=12)
    )
    tls = TlsServer(cert, key)
    try:
        feature = window.monitoring
        target = HealthTarget("tls", f"127.0.0.1:{tls.port}", "customer API")
        feature.apply_settings(MonitoringSettings(targets=(target,)))
        qtbot.waitUntil(lambda: "checked" in feature.health_panel.status_label.text(), timeout=8000)
        state = feature.health_model.index(0, HEALTH_STATE).data()
        assert state == "Critical · P1"
        detail = feature.health_model.index(0, 3).data()
        assert "P1: critical certificate near expiry (<24 hours)" in detail
        assert feature.health_panel.status_label.text().startswith("1 check: 1 critical")
        assert feature.tabs.tabText(1) == "Health (1 need attention)"
        feature.health_panel.view.selectRow(0)
        qtbot.mouseClick(feature.health_panel.declare_button, Qt.MouseButton.LeftButton)
        incident = window.current_incident()
        assert incident is not None and incident.severity.value == "P1"
        assert (
            incident.title
            == f"Critical certificate near expiry: customer API (127.0.0.1:{tls.port})"
        )
        events = [e.event for e in incidents.timeline(incident.id)]
        assert any("P1: critical certificate near expiry" in e for e in events)
    finally:
        tls.close()
        window.monitoring.stop()


def test_settings_dialog_saves_file_and_token(qtbot, window, workspace) -> None:
    feature = window.monitoring
    feature._offline = lambda: True  # saving starts polling; keep it off the network
    dialog = feature.open_settings()
    dialog.sources_edit.setPlainText("http://am.example:9093/\n")
    dialog.token_url_edit.setText("http://am.example:9093")
    dialog.token_edit.setText("tok-123")
    dialog.mapping_edit.setPlainText("critical = P0\nwarning = P2")
    dialog.targets_edit.setPlainText("api = https://api.example.com/healthz\napi.example.com:443")
    dialog.targets_edit.setPlainText(dialog.targets_edit.toPlainText() + "\nbad = ::")
    dialog._on_ok()
    assert "line 3" in dialog.error_label.text()  # refused inline, the form stays
    dialog.targets_edit.setPlainText("api = https://api.example.com/healthz\napi.example.com:443")
    dialog._on_ok()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # token and file are saved on a worker
    saved = load_monitoring_settings(workspace.data_dir)
    assert saved.sources == ("http://am.example:9093",)
    assert [t.kind for t in saved.targets] == ["http", "tls"]
    assert feature.tokens.get("http://am.example:9093") == "tok-123"
    assert "tok-123" not in (workspace.data_dir / "monitoring.json").read_text()
    assert feature.alerts.mapping.table["critical"].value == "P0"
    feature.stop()


def test_view_menu_toggles_the_dock(window) -> None:
    feature = window.monitoring
    action = feature.action_toggle
    assert action.shortcut().toString() == "Ctrl+Alt+A"
    was = feature.dock.isVisible()
    action.trigger()
    assert feature.dock.isVisible() != was
    assert feature.action_declare.shortcut().toString() == "Ctrl+Shift+I"


def test_load_demo_adds_demo_alerts(qtbot, window) -> None:
    window.action_demo.trigger()
    feature = window.monitoring
    model = feature.alert_model
    states = [model.view_at(r).alert.state_text for r in range(model.rowCount())]
    assert states == ["Firing", "Silenced", "Resolved"]
    renewal = model.view_at(0)
    assert [i.ref for i in renewal.incidents] == [window.current_incident().ref]
    assert feature.dock.isVisible()
    timeline = window.timeline_model
    events = [timeline.entry_at(r).event for r in range(timeline.rowCount())]
    assert any(e.startswith("Alert fired: CertRenewalJobFailed") for e in events)
    window.action_demo.trigger()  # twice: nothing more
    assert model.rowCount() == 3
