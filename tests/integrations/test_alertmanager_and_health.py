"""Polling a real HTTP server that answers like Alertmanager, and real health/TLS checks."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.health import CheckState
from commander.core.policy import Severity
from commander.integrations.alertmanager import poll_sources
from commander.integrations.health import run_checks
from commander.integrations.monitoring_settings import (
    HealthTarget,
    MonitoringSettings,
    SourceTokens,
    load_monitoring_settings,
    normalize_source,
    save_monitoring_settings,
    split_host_port,
)
from commander.services.alerts import AlertService
from tests.integrations.conftest import Reply
from tests.integrations.tls_server import TlsServer, make_certificate

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"
NOW = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)


def recorded(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_poll_sends_bearer_token_and_reads_alerts(server, memory_keyring) -> None:
    tokens = SourceTokens()
    tokens.set(server.url, "s3cret")
    server.replies = [Reply(200, recorded("v2_silenced.json"))]
    [result] = poll_sources([server.url], token_for=tokens.get, now=NOW)
    assert result.ok and len(result.alerts) == 3
    request = server.requests[0]
    assert request.method == "GET" and request.path == "/api/v2/alerts"
    assert request.headers["authorization"] == "Bearer s3cret"
    assert {a.state_text for a in result.alerts} == {"Firing", "Silenced", "Inhibited"}


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(500, "boom"), "answered 500"),
        (Reply(401, "no"), "refused the request (401); it needs a bearer token"),
        (Reply(200, recorded("malformed.json")), "sent malformed JSON"),
        (Reply(200, '{"status": "success"}'), "sent alerts we cannot read"),
    ],
)
def test_bad_answers_are_one_sentence(server, reply: Reply, message: str) -> None:
    server.replies = [reply]
    [result] = poll_sources([server.url], token_for=lambda _u: None, now=NOW)
    assert not result.ok and message in result.error
    assert result.error.startswith("127.0.0.1:")
    assert "\n" not in result.error and "Traceback" not in result.error


def test_slow_source_times_out_and_others_still_count(server) -> None:
    from tests.integrations.conftest import RecordingServer

    other = RecordingServer()
    try:
        server.replies = [Reply(200, "[]", delay=5)]
        other.replies = [Reply(200, recorded("v2_firing.json"))]
        started = time.monotonic()
        slow, good = poll_sources(
            [server.url, other.url], token_for=lambda _u: None, now=NOW, timeout=0.3
        )
        assert time.monotonic() - started < 3
        assert "did not answer within 0.3 s" in slow.error and not slow.reachable
        assert good.ok and len(good.alerts) == 2
    finally:
        other.close()


def test_unreachable_source(tmp_path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [result] = poll_sources([f"http://127.0.0.1:{port}"], token_for=lambda _u: None, now=NOW)
    assert f"127.0.0.1:{port} is unreachable" in result.error and not result.reachable


def test_service_poll_over_http_firing_silenced_resolved(
    server, workspace, incidents, clock
) -> None:
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    service = AlertService(workspace, incidents=incidents)
    server.replies = [
        Reply(200, recorded("v2_firing.json")),
        Reply(500, "down"),
        Reply(200, recorded("v2_silenced.json")),
        Reply(200, recorded("v2_after_resolve.json")),
    ]
    first = service.poll([server.url], token_for=lambda _u: None)
    assert len(first.new) == 2
    incident = service.declare_from_alert("4f3a9c2e").incident
    failed = service.poll([server.url], token_for=lambda _u: None)
    assert failed.errors == [f"{server.url.removeprefix('http://')} answered 500"]
    assert failed.resolved == []  # a failing source resolves nothing
    clock.advance(300)
    service.poll([server.url], token_for=lambda _u: None)
    assert {v.alert.state_text for v in service.views()} == {"Firing", "Silenced", "Inhibited"}
    clock.advance(60)
    last = service.poll([server.url], token_for=lambda _u: None)
    assert last.resolved == ["4f3a9c2e71d05b88"] and last.logged == 1
    events = [e.event for e in incidents.timeline(incident.id)]
    assert events.count("Alert resolved: HighErrorRate") == 1


def test_settings_round_trip_and_tokens_stay_out_of_the_file(tmp_path, memory_keyring) -> None:
    settings = (
        MonitoringSettings()
        .with_source("http://am.example:9093/api/v2/alerts")
        .with_target("http", "https://api.example.com/healthz", "api")
        .with_target("tls", "api.example.com")
    )
    assert settings.sources == ("http://am.example:9093",)
    save_monitoring_settings(tmp_path, settings)
    SourceTokens().set("http://am.example:9093/", "tok")
    assert load_monitoring_settings(tmp_path) == settings
    assert "tok" not in (tmp_path / "monitoring.json").read_text()
    assert SourceTokens().get("http://am.example:9093") == "tok"
    assert settings.targets[1].target == "api.example.com:443"
    assert split_host_port("https://x.example:8443/path") == ("x.example", 8443)
    with pytest.raises(Exception, match="not an http"):
        normalize_source("am.example:9093")
    with pytest.raises(Exception, match="no credentials"):
        normalize_source("http://u:p@am.example")
    (tmp_path / "monitoring.json").write_text("{not json")
    with pytest.raises(Exception, match=r"monitoring\.json is not valid"):
        load_monitoring_settings(tmp_path)


def _real_now() -> datetime:
    # real clock: OpenSSL judges a certificate's validity and trust by the system time, so the
    # certificates are made from it and these checks read it too.
    return datetime.now(UTC)


@pytest.fixture
def tls_pair(tmp_path):  # type: ignore[no-untyped-def]
    servers = []
    made = {}
    now = _real_now()
    for label, valid in (("soon", timedelta(hours=12)), ("later", timedelta(days=90))):
        cert, key, not_after = make_certificate(tmp_path, now=now, valid_for=valid)
        srv = TlsServer(cert, key)
        servers.append(srv)
        made[label] = (srv, cert, not_after)
    yield made
    for srv in servers:
        srv.close()


@pytest.mark.real_clock
def test_certificate_checks_against_local_tls_servers(tls_pair, server) -> None:
    soon, soon_cert, soon_after = tls_pair["soon"]
    later, _later_cert, later_after = tls_pair["later"]
    from tests.integrations.conftest import RecordingServer

    broken = RecordingServer()  # one server per HTTP check: checks run concurrently
    broken.replies = [Reply(503, "down")]
    targets = [
        HealthTarget("tls", f"127.0.0.1:{soon.port}", "customer API cert"),
        HealthTarget("tls", f"127.0.0.1:{later.port}", "partner cert"),
        HealthTarget("http", server.url + "/healthz", "api health"),
        HealthTarget("http", broken.url + "/healthz", "second"),
    ]
    try:
        results = run_checks(targets, now=_real_now, timeout=3)
    finally:
        broken.close()
    critical, fine, up, down = results
    assert critical.state == CheckState.CRITICAL and critical.severity == Severity.P1
    assert "P1: critical certificate near expiry (<24 hours)" in critical.detail
    assert critical.not_after == soon_after
    assert 0.45 < critical.days_to_expiry() < 0.51  # type: ignore[operator]
    assert critical.trusted is False and "not trusted" in critical.detail  # self-signed
    assert fine.state == CheckState.OK and fine.severity is None
    assert fine.not_after == later_after and 89.9 < fine.days_to_expiry() <= 90  # type: ignore[operator]
    assert up.state == CheckState.OK and up.detail.startswith("HTTP 200 in ")
    assert down.state == CheckState.FAILING and down.detail.startswith("HTTP 503")
    # Trusted when the certificate's issuer is a trusted CA.
    [trusted] = run_checks(
        targets[:1],
        now=_real_now,
        timeout=3,
        cafile=str(soon_cert),
    )
    assert trusted.trusted is True and "not trusted" not in trusted.detail
    assert json.dumps(trusted.to_json())


def test_tls_check_of_a_closed_port_fails_cleanly() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [result] = run_checks([HealthTarget("tls", f"127.0.0.1:{port}")], now=lambda: NOW, timeout=1)
    assert result.state == CheckState.FAILING and "TLS handshake failed" in result.detail
