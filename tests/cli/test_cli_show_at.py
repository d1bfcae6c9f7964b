"""``commander show INC --at TIME``: the incident as the record held it then, read-only."""

from __future__ import annotations

from datetime import UTC, datetime

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
