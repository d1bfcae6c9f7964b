"""reports.briefing: the handoff briefing's model laid out as Markdown, user text escaped."""

from __future__ import annotations

from dataclasses import replace

from commander.core.briefing import NO_KEY_EVENTS, NO_OPEN_QUESTIONS
from commander.reports.briefing import render_briefing
from commander.services.briefing import BriefingService
from commander.services.roster import RosterService

from .conftest import deadlines_for, mark_key_events


def _facts(workspace, incident_id):  # type: ignore[no-untyped-def]
    service = BriefingService(workspace, RosterService(workspace), deadlines_for(workspace))
    return service.facts(incident_id)


def test_the_briefing_names_the_handoff_and_escapes_the_title(told, workspace):
    facts = _facts(workspace, told.incident_id)
    text = render_briefing(facts)
    lines = text.splitlines()
    ref = facts.incident.ref
    assert lines[0] == f"# Handoff briefing — {ref}: Checkout errors \\| card payments"
    assert "Generated 2026-11-28 11:40 UTC for the incoming Incident Commander." in lines
    assert lines[lines.index("- **Incoming IC:** Bob Jones (@bob)") + 1 :][:3] == [
        "- **Outgoing IC:** Alice Smith (@alice)",
        "- **Handoff at:** 2026-11-28 10:30 UTC",
        "- **Handoff note:** Alice off shift",
    ]
    assert NO_OPEN_QUESTIONS in lines and NO_KEY_EVENTS in lines
    situation = text.split("## 1. Situation\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert situation == [
        "- **Severity:** P1 — High",
        "- **Status:** Resolved",
        "- **Phase:** Detection & initial response",
        "- **Declared:** 2026-11-28 10:00 UTC by alice",
        "- **Services:** checkout, payments",
        "- **Customer impact:** Some card payments fail",
        "- **Security related:** no",
        "- **Partner integrations affected:** no",
    ]


def test_the_briefing_tables_roles_deadlines_and_open_items(told, workspace):
    lines = render_briefing(_facts(workspace, told.incident_id)).splitlines()
    assert "| Incident Commander | Bob Jones (@bob) | 10:30 |" in lines
    assert "| Communications Lead | unassigned | — |" in lines
    assert (
        "**Overdue:** Management notification (due 11:12); Customer communication (due 11:12)"
        in lines
    )
    assert "Met: Acknowledge (10:10 by alice)." in lines
    assert "| 2026-12-10 | Automate key rotation | bob | Short-term | Open |" in lines
    assert "| 10:15 | Error spike on checkout (5xx) | Rollback | bob |" in lines
    assert not any("DNS suspected" in line for line in lines)  # struck: not work done
    assert "- **Internal updates sent:** none yet" in lines


def test_key_events_are_a_table_once_marked(told, workspace, clock):
    mark_key_events(workspace, told, clock)
    text = render_briefing(_facts(workspace, told.incident_id))
    key = text.split("**Key events** (★):\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert key == [
        "| Time | Kind | Event | Owner |",
        "| --- | --- | --- | --- |",
        "| 10:15 | ◉ observation | Error spike on checkout (5xx) | bob |",
        "| 10:25 | ◆ decision (bob) | roll back checkout |  |",
    ]
    assert NO_KEY_EVENTS not in text


def test_without_an_ic_the_briefing_says_none_is_assigned(told, workspace):
    facts = replace(_facts(workspace, told.incident_id), incoming=None, outgoing=None)
    lines = render_briefing(facts).splitlines()
    assert "- **Incident Commander:** ⚠ none assigned" in lines
    assert not any(line.startswith("- **Incoming IC:**") for line in lines)
