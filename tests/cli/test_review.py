"""``commander review`` and ``commander action``: the review from a terminal."""

from __future__ import annotations

import io
from datetime import date, timedelta

from icalendar import Calendar


def test_review_text_schedule_and_invitation(run, declare, tmp_path, monkeypatch) -> None:
    incident = declare("API down", "P1")
    ref = incident["ref"]
    assert run("review", "set", ref, "primary_cause", "Expired certificate").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Alert fired\nat 10:00\n"))
    assert run("review", "set", ref, "detection", "-").code == 0
    again = run("review", "set", ref, "detection", "Alert fired\nat 10:00")
    assert "unchanged" in again.out
    shown = run("review", "show", ref, "--json").json()
    assert shown["fields"]["primary_cause"] == "Expired certificate"
    assert shown["fields"]["detection"] == "Alert fired\nat 10:00"
    assert shown["metrics"]["resolved_at"] is None and shown["schedule"] is None
    text = run("review", "show", ref).out
    assert "## Root Cause" in text and "Primary cause: Expired certificate" in text

    # real clock: the CLI schedules the review relative to today
    when = (date.today() + timedelta(days=3)).isoformat() + " 14:00"
    scheduled = run("review", "schedule", ref, when, "--minutes", "45", "--json")
    assert scheduled.code == 0, scheduled.err
    assert scheduled.json()["minutes"] == 45
    out = tmp_path / "review.ics"
    made = run("review", "ics", ref, "-o", str(out), "--report-url", "https://wiki/reports")
    assert made.code == 0, made.err
    event = Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert f"https://wiki/reports/{ref}-report.html" in str(event["description"])
    assert "not resolved" in run("review", "held", ref).err
    assert run("incident", "set", ref, "status", "resolved").code == 0
    assert run("review", "held", ref).code == 0
    assert run("review", "show", ref, "--json").json()["metrics"]["resolved_at"] is not None
    cancelled = run("review", "schedule", ref, "--cancel")
    assert "cancelled" in cancelled.out


def test_action_items_across_incidents(run, declare) -> None:
    first = declare("API down", "P1")
    second = declare("Backups failing", "P2")
    ref1 = first["ref"]
    ref2 = second["ref"]
    added = run(
        "action", "add", ref1, "Alert before expiry", "--owner", "bob", "--term", "medium", "--json"
    )
    assert added.code == 0, added.err
    item = added.json()
    assert item["term"] == "medium" and item["status"] == "open"
    old = run("action", "add", ref2, "Fix backup job", "--due", "2020-01-01", "--json").json()
    listed = run("action", "list", "--json").json()
    assert [row["id"] for row in listed] == [old["id"], item["id"]]  # overdue first
    assert listed[0]["overdue"] is True and listed[0]["incident"] == ref2
    assert "OVERDUE" in run("action", "list").out
    updated = run("action", "update", old["id"][-8:], "--status", "done", "--json").json()
    assert updated["status"] == "done" and updated["overdue"] is False
    assert [r["id"] for r in run("action", "list", "--open", "--json").json()] == [item["id"]]
    assert [r["id"] for r in run("action", "list", ref2, "--json").json()] == [old["id"]]


def test_review_errors_are_one_line(run, declare, one_line_error) -> None:
    incident = declare()
    ref = incident["ref"]
    one_line_error(run("review", "set", ref, "nope", "x"), contains="unknown review field")
    one_line_error(run("review", "ics", ref), contains="schedule it first")
    one_line_error(run("review", "schedule", ref, "next tuesday"), contains="not a time")
    one_line_error(run("action", "add", ref, "x", "--due", "soon"), contains="not a date")
    one_line_error(run("action", "update", "zzzzzzzz", "--status", "done"), contains="no action")
