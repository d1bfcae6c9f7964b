"""``commander show INC --at TIME``: the incident as the record held it then, read-only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import time_machine


def test_show_at_a_past_moment(run, declare) -> None:
    with time_machine.travel(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), tick=False):
        incident = declare("Checkout errors", "P1")
        assert run("log", incident["ref"], "first look").code == 0
    with time_machine.travel(datetime(2026, 11, 28, 10, 30, tzinfo=UTC), tick=False):
        assert run("incident", "set", incident["ref"], "severity", "P0").code == 0
        assert run("log", incident["ref"], "raised to P0").code == 0

    past = run("show", incident["ref"], "--at", "2026-11-28T10:10:00+00:00", "--json")
    assert past.code == 0, past.err
    state = past.json()
    assert state["incident"]["severity"] == "P1"
    events = [e["event"] for e in state["timeline"]]
    assert "first look" in events and "raised to P0" not in events

    text = run("show", incident["ref"], "--at", "2026-11-28T10:10:00+00:00")
    assert text.code == 0 and text.out.startswith("As recorded at 2026-11-28")
    assert "raised to P0" not in text.out and "DEADLINE" in text.out

    now = run("show", incident["ref"], "--json").json()
    assert now["severity"] == "P0" and len(now["timeline"]) >= 2


def test_show_at_before_the_declaration_or_nonsense_is_one_line(run, declare) -> None:
    with time_machine.travel(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), tick=False):
        incident = declare()
    early = run("show", incident["ref"], "--at", "2026-11-28T09:00:00+00:00")
    assert early.code == 1 and "was not declared yet" in early.err
    bad = run("show", incident["ref"], "--at", "half past ten")
    assert bad.code == 1 and "is not a time" in bad.err


def test_show_and_show_at_name_the_procedure_versions_in_effect(run, declare) -> None:
    example = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"
    with time_machine.travel(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), tick=False):
        ref = declare("Leaked token", "P1")["ref"]
    with time_machine.travel(datetime(2026, 11, 28, 10, 30, tzinfo=UTC), tick=False):
        assert run("procedure", "load", str(example)).code == 0
    loaded = {
        "name": "Example Co. incident procedure",
        "version": "2026.2",
        "builtin": False,
        "since": "2026-11-28T10:30:00.000Z",
    }

    before = run("show", ref, "--at", "2026-11-28T10:10:00+00:00", "--json").json()
    assert [v["builtin"] for v in before["procedures"]] == [True]
    after = run("show", ref, "--at", "2026-11-28T10:40:00+00:00", "--json").json()
    assert after["procedures"][1] == loaded
    assert after["procedures"][0] == before["procedures"][0]
    assert after["procedures"][0]["since"] is None
    assert run("show", ref, "--json").json()["procedures"] == after["procedures"]
    text = run("show", ref, "--at", "2026-11-28T10:40:00+00:00").out
    assert "Procedure: built-in procedure 1; then Example Co. incident procedure 2026.2" in text
    assert (
        "Procedure: built-in procedure 1\n" in run("show", ref, "--at", "2026-11-28T10:10:00Z").out
    )
