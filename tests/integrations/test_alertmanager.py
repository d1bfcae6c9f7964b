"""Polling a real HTTP server that answers like Alertmanager: the bearer token, the alerts read,
the one-sentence errors, a slow or unreachable source, and the alert service over HTTP."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commander.integrations.alertmanager import poll_sources
from commander.integrations.monitoring_settings import (
    SourceTokens,
)
from commander.services.alerts import AlertService
from tests.integrations.conftest import Reply

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
