"""``commander deadlines`` at any instant, deadline events and settings from the command line."""

from datetime import datetime, timedelta


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_deadlines_at_a_given_instant(run, declare) -> None:
    incident = declare("DB down", "P0")
    declared = _iso(incident["declared_at"])
    later = (declared + timedelta(minutes=20)).isoformat()
    result = run("deadlines", incident["ref"], "--now", later, "--json")
    assert result.code == 0, result.err
    found = {d["key"]: d for d in result.json()}
    assert set(found) >= {"response", "escalation", "internal_update", "customer_comms"}
    assert found["response"]["state"] == "overdue"
    assert _iso(found["response"]["due"]) == declared + timedelta(minutes=15)
    assert found["escalation"]["name"] == "Executive notification"
    assert found["internal_update"]["state"] == "upcoming"
    assert found["partner_comms"]["state"] == "not_applicable"
    assert found["response"]["met_at"] is None


def test_met_update_sent_and_snooze_are_recorded(run, declare) -> None:
    incident = declare("Auth failures", "P1")
    met = run("deadline", "met", incident["ref"], "escalation", "--how", "VP paged", "--json")
    assert met.code == 0, met.err
    assert met.json()["state"] == "met" and met.json()["how"] == "VP paged"
    sent = run("deadline", "update-sent", incident["ref"], "--json")
    assert sent.json()["key"] == "internal_update"
    snoozed = run(
        "deadline",
        "snooze",
        incident["ref"],
        "customer-comms",
        "--minutes",
        "10",
        "--reason",
        "Status page vendor down",
        "--json",
    )
    assert snoozed.json()["snoozed_until"] is not None
    events = [e["event"] for e in run("show", incident["ref"], "--json").json()["timeline"]]
    assert any(e.startswith("Deadline met: Management notification") for e in events)
    assert "Internal update sent" in events
    assert any("snoozed" in e for e in events)
    text = run("deadlines", incident["ref"])
    assert "Management notification" in text.out and "met" in text.out


def test_bad_deadline_input_gets_one_line(run, declare, one_line_error) -> None:
    incident = declare()
    one_line_error(run("deadline", "met", incident["ref"], "lunch"), contains="Unknown deadline")
    one_line_error(run("deadlines", incident["ref"], "--now", "yesterday"), contains="ISO-8601")
    one_line_error(
        run("deadline", "snooze", incident["ref"], "response", "--minutes", "0", "--reason", "x"),
        contains="between 1 and 1440",
    )
    one_line_error(run("settings", "--business-hours", "9-5"), contains="HH:MM")
    one_line_error(run("settings", "--business-days", "someday"), contains="name days")


def test_settings_change_how_p3_is_computed(run, declare) -> None:
    shown = run(
        "settings",
        "--business-days",
        "sun-thu",
        "--business-hours",
        "08:00-16:00",
        "--time-zone",
        "UTC",
        "--due-soon",
        "10",
        "--json",
    )
    assert shown.code == 0, shown.err
    assert shown.json()["business_days"] == ["mon", "tue", "wed", "thu", "sun"]
    incident = declare("Docs typo", "P3")
    # Whenever it is declared, the next business start is 08:00 UTC on a Sunday-Thursday.
    result = run("deadlines", incident["ref"], "--json")
    response = {d["key"]: d for d in result.json()}["response"]
    due = _iso(response["due"])
    assert due.hour == 8 and due.minute == 0 and due.weekday() in (6, 0, 1, 2, 3)
