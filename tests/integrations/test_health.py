"""Health checks against real servers on 127.0.0.1: certificate expiry and trust from local
TLS servers, HTTP status and timing, and a closed port failing cleanly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from commander.core.health import CheckState
from commander.core.policy import Severity
from commander.integrations.health import run_checks
from commander.integrations.monitoring_settings import HealthTarget
from tests.integrations.conftest import Reply
from tests.integrations.tls_server import TlsServer, make_certificate

NOW = datetime(2026, 11, 28, 10, 5, tzinfo=UTC)


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
