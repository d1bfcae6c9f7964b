"""``commander search``: every incident's record searched, grouped, matches marked."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from commander.cli.search import MARK_OFF, MARK_ON


def _record(run, declare) -> tuple[dict, dict]:
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), tick=False):
        cert = declare("Checkout TLS errors", "P1", "--service", "customer-api")
        assert run("log", cert["ref"], "Certificate expired on the gateway").code == 0
        assert run("review", "set", cert["ref"], "primary_cause", "Expired certificate").code == 0
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
        db = declare("Database failover", "P2", "--service", "orders")
        assert run("log", db["ref"], "Replica promoted; certificate fine").code == 0
    return cert, db


def test_search_groups_by_incident_and_marks_the_match(run, declare) -> None:
    cert, db = _record(run, declare)
    result = run("search", "certif")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    heads = [line for line in lines if not line.startswith("  ")][:-1]
    assert sorted(h.split()[0] for h in heads) == sorted([db["ref"], cert["ref"]])
    assert any("Database failover" in h for h in heads)
    assert "  Timeline: [Certif]icate expired on the gateway" in result.out
    assert "Review: Primary cause: Expired [certif]icate" in result.out
    assert lines[-1] == "3 matches in 2 incidents"
    assert MARK_ON not in result.out  # captured output is not a terminal

    coloured = run("search", "certif", "--color", "always")
    assert f"{MARK_ON}Certif{MARK_OFF}icate expired" in coloured.out


def test_search_json_and_filters(run, declare) -> None:
    cert, db = _record(run, declare)
    data = run("search", "certificate", "--json").json()
    assert sorted(g["ref"] for g in data["incidents"]) == sorted([db["ref"], cert["ref"]])
    hit = next(g for g in data["incidents"] if g["ref"] == db["ref"])["hits"][0]
    assert hit["kind"] == "entry" and hit["entry_id"]
    start, end = hit["highlights"][0]
    assert hit["text"][start:end].lower() == "certificate"

    p1 = run("search", "certificate", "--severity", "p1", "--json").json()
    assert [g["ref"] for g in p1["incidents"]] == [cert["ref"]]
    orders = run("search", "certificate", "--service", "ORDERS", "--json").json()
    assert [g["ref"] for g in orders["incidents"]] == [db["ref"]]
    later = run("search", "certificate", "--since", "2026-11-10", "--json").json()
    assert [g["ref"] for g in later["incidents"]] == [db["ref"]]
    earlier = run("search", "certificate", "--until", "2026-11-10", "--json").json()
    assert [g["ref"] for g in earlier["incidents"]] == [cert["ref"]]
    both = run("search", "replica", "certificate", "--json").json()
    assert both["matches"] == 1
    limited = run("search", "certificate", "--limit", "1", "--json").json()
    assert limited["truncated"] is True and limited["matches"] == 1


def test_search_bad_input_is_one_line(run, declare) -> None:
    _record(run, declare)
    short = run("search", "ab")
    assert short.code == 1 and "at least 3 characters" in short.err
    assert "Traceback" not in short.err
    sev = run("search", "certificate", "--severity", "P9")
    assert sev.code == 1 and "Unknown severity" in sev.err
    when = run("search", "certificate", "--since", "last week")
    assert when.code == 1 and "is not a time" in when.err
    none = run("search", 'zzz"*NEAR(')
    assert none.code == 0 and none.out.startswith("No match for")


def test_search_json_names_a_runbook_step_run(run, declare) -> None:
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), tick=False):
        mesh = declare("Mesh errors", "P2", "--service", "orders")
        assert run("runbook", "ran", mesh["ref"], "net.proxy-status").code == 0
    data = run("search", "proxy-status", "--json").json()
    [group] = data["incidents"]
    assert group["ref"] == mesh["ref"]
    hits = {hit["kind"]: hit for hit in group["hits"]}
    assert set(hits) == {"entry", "runbook"}  # the "ran: …" entry and the step itself
    step = hits["runbook"]
    assert step["label"] == "Runbook step" and step["entry_id"] is None
    assert step["key"] == f"{group['incident_id']}:net.proxy-status"
    start, end = step["highlights"][0]
    assert step["text"][start:end] == "proxy-status"
    assert "Runbook step: istioctl [proxy-status]" in run("search", "proxy-status").out
