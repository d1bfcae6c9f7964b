"""``alerts`` and ``health`` from the command line."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alerts"


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    from tests.integrations.conftest import RecordingServer

    srv = RecordingServer()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _memory_keyring():  # type: ignore[no-untyped-def]
    import keyring

    from commander.integrations.secrets import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def test_ingest_list_declare_and_resolve(run, monkeypatch) -> None:
    result = run("alerts", "ingest", str(FIXTURES / "alertmanager_webhook_v4.json"), "--json")
    assert result.code == 0, result.err
    assert result.json()["new"] == ["1a30ba71cca2921f"]
    listing = run("alerts", "list", "--json").json()
    assert listing[0]["suggested_severity"] == "P1" and listing[0]["state"] == "firing"
    text = run("alerts", "list")
    assert "ProbeFailure" in text.out and "Firing" in text.out
    declared = run("alerts", "declare", "1a30", "--json")
    assert declared.code == 0, declared.err
    incident = declared.json()
    assert incident["severity"] == "P1" and incident["services"] == ["http_checks"]
    payload = (FIXTURES / "alertmanager_webhook_v4_resolved.json").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(payload)))
    resolved = run("alerts", "ingest", "-")
    assert resolved.code == 0, resolved.err
    assert "1 resolved, 1 logged on incidents" in resolved.out
    shown = run("show", incident["ref"], "--json").json()
    events = [e["event"] for e in shown["timeline"]]
    assert events[0].startswith("Alert fired: ProbeFailure")
    assert events.count("Alert resolved: ProbeFailure") == 1


def test_ingest_errors_are_one_line(run, tmp_path) -> None:
    bad = run("alerts", "ingest", str(FIXTURES / "malformed.json"))
    assert bad.code == 1 and bad.err.startswith("commander: error: ")
    assert "is not valid JSON" in bad.err and bad.err.count("\n") == 1
    wrong = tmp_path / "v3.json"
    wrong.write_text(json.dumps({"version": "3", "alerts": []}))
    refused = run("alerts", "ingest", str(wrong))
    assert refused.code == 1 and "version 3 is not supported" in refused.err
    missing = run("alerts", "declare", "ffff")
    assert missing.code == 1 and "No alert with fingerprint" in missing.err
    assert run("alerts", "poll").code == 1


def test_sources_tokens_and_poll(run, server, cli_dir) -> None:
    from tests.integrations.conftest import Reply

    # real clock: the CLI ingests with the system clock
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    # The recording's endsAt moves into the future, as a live Alertmanager's does.
    fixture = (FIXTURES / "v2_firing.json").read_text().replace("2026-11-28T10:09:00.000Z", later)
    server.replies = [Reply(200, fixture)]
    added = run("alerts", "source", "add", server.url + "/")
    assert added.code == 0, added.err
    assert run("alerts", "source", "list", "--json").json()["sources"] == [server.url]
    polled = run("alerts", "poll", "--json")
    assert polled.code == 0, polled.err
    assert sorted(polled.json()["new"]) == ["4f3a9c2e71d05b88", "9b1e07c4d2a36f15"]
    server.replies = [Reply(500, "no")]
    failed = run("alerts", "poll")
    assert failed.code == 1 and "answered 500" in failed.err
    assert run("alerts", "source", "remove", server.url).code == 0
    assert server.url not in (cli_dir / "monitoring.json").read_text()


def test_mapping_and_health_config(run, server) -> None:
    assert run("alerts", "map", "warning", "P1").code == 0
    assert run("alerts", "map", "--json").json()["table"]["warning"] == "P1"
    assert run("alerts", "map", "warning", "P7").code == 1
    assert run("health", "add", server.url + "/healthz", "--name", "api").code == 0
    assert run("health", "add", "api.example.com:8443").code == 0
    listed = run("health", "list", "--json").json()
    assert [t["kind"] for t in listed] == ["http", "tls"]
    assert run("health", "remove", "api.example.com:8443").code == 0
    assert run("health", "remove", "nothing").code == 1
    checked = run("health", "check", "--json")
    assert checked.code == 0, checked.err
    http = checked.json()[0]
    assert http["name"] == "api" and http["state"] == "ok"
    assert run("health", "check").out.strip().endswith("1 check: all OK")


def test_a_failing_check_exits_1_so_a_script_can_act_on_it(run, server) -> None:  # type: ignore[no-untyped-def]
    from tests.integrations.conftest import Reply

    assert run("health", "add", server.url + "/healthz", "--name", "api").code == 0
    server.replies = [Reply(503, "down"), Reply(503, "down")]
    checked = run("health", "check")
    assert checked.code == 1
    assert "FAILING" in checked.out and checked.out.strip().endswith("1 check: 1 failing")
    as_json = run("health", "check", "--json")
    assert as_json.code == 1 and as_json.json()[0]["state"] == "failing"
