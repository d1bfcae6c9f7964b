"""The handoff briefing's content: what is chosen (entries not struck, open and met
deadlines, unfinished items overdue first, messages per audience) and how its times read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from commander.core.briefing import (
    MAX_ENTRIES,
    AudienceLine,
    BriefingFacts,
    DeadlineLine,
    EntryLine,
    ItemLine,
    QuestionLine,
    RoleLine,
    SentMessage,
    briefing_model,
)
from commander.core.deadline_policy import DeadlineKind
from commander.core.deadlines import Deadline, DeadlineState
from commander.core.hlc import HlcStamp
from commander.core.policy import Phase, Severity, Status
from commander.core.records import Incident, TimelineEntry
from commander.core.review import ActionItem
from commander.core.roles import Assignment, RoleDef, RoleKind, RosterLine

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
ZONE = timezone(timedelta(hours=1), "CET")
IC = RoleDef("incident_commander", "Incident Commander", RoleKind.CORE)
COMMS = RoleDef("communications_lead", "Communications Lead", RoleKind.CORE)
SCRIBE = RoleDef("scribe", "Scribe", RoleKind.EXTENDED)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


INCIDENT = Incident(
    id="inc-1",
    ref="INC-1",
    title="API down",
    severity=Severity.P1,
    status=Status.INVESTIGATING,
    phase=Phase.INVESTIGATION,
    services=("api",),
    impact="",
    declared_at=T0,
    declared_by="alice",
    updated_at=T0,
)


def entry(n: int, minutes: int, event: str, **changes: Any) -> TimelineEntry:
    base = TimelineEntry(
        id=f"e{n}",
        incident_id="inc-1",
        occurred_at_ms=int(at(minutes).timestamp() * 1000),
        hlc=HlcStamp(int(at(minutes).timestamp() * 1000), 0).encode(),
        kind="observation",
        event=event,
        action="",
        owner="",
        author="alice",
        struck=0,
        strike_reason="",
        amended_event=None,
        amended_action=None,
    )
    return base._replace(**changes)


def assignment(role: str, person: str | None, name: str, minutes: int) -> Assignment:
    return Assignment(
        op_id=f"a-{role}-{person}",
        incident_id="inc-1",
        role=role,
        person=person,
        person_name=name,
        at=at(minutes),
        hlc="0",
        node_id="n",
        by="alice",
    )


def deadline(name: str, state: DeadlineState, due: int | None, **changes: Any) -> Deadline:
    values: dict[str, Any] = {
        "key": DeadlineKind.RESPONSE,
        "name": name,
        "anchor": T0,
        "due": at(due) if due is not None else None,
        "state": state,
        "met_at": None,
        "met_by": None,
        "how": None,
        "remaining": None,
        "applies": True,
        "reason_not_applicable": None,
        "severity": Severity.P1,
    }
    return Deadline(**{**values, **changes})


def item(title: str, due: date, status: str = "open") -> ActionItem:
    return ActionItem(
        id=title,
        incident_id="inc-1",
        title=title,
        owner="bob",
        term="short",
        due=due,
        status=status,
        tracker_url="",
        entry_id=None,
        created_at=T0,
    )


def facts(**changes: Any) -> BriefingFacts:
    values: dict[str, Any] = {
        "incident": INCIDENT,
        "generated_at": at(90),
        "zone": ZONE,
        "incoming": assignment("incident_commander", "bob", "Bob Ray", 85),
        "outgoing": assignment("incident_commander", "alice", "Alice", 0),
        "since": T0,
        "since_label": "declaration",
        "entries": (),
        "roles": (),
    }
    return BriefingFacts(**{**values, **changes})


def test_the_headline_times_are_local_with_the_day_and_zone() -> None:
    briefing = briefing_model(facts())
    assert (briefing.severity_key, briefing.severity_name) == ("P1", "High")
    assert briefing.generated == "2026-11-28 12:30 CET"
    assert briefing.handoff_at == "2026-11-28 12:25 CET"
    assert briefing.declared == "2026-11-28 11:00 CET"
    assert briefing.next_update == ""
    assert briefing_model(facts(incoming=None)).handoff_at == ""


def test_struck_entries_are_left_out_and_amendments_shown() -> None:
    entries = (
        entry(1, 5, "first", action="paged"),
        entry(2, 6, "wrong", struck=1, strike_reason="typo"),
        entry(
            3,
            7,
            "old",
            amended_event="new",
            amended_action="fixed",
            kind="decision",
            owner="bob",
            key_event=1,
        ),
    )
    briefing = briefing_model(facts(entries=entries))
    assert briefing.entries_omitted == 0
    assert briefing.entries == [
        EntryLine("11:05", "◉ observation", "first", "paged", "", False),
        EntryLine("11:07", "◆ decision", "new", "fixed", "bob", True),
    ]


def test_only_the_last_entries_are_listed_and_the_rest_counted() -> None:
    entries = tuple(entry(n, n, f"event {n}") for n in range(MAX_ENTRIES + 3))
    briefing = briefing_model(facts(entries=entries))
    assert briefing.entries_omitted == 3
    assert len(briefing.entries) == MAX_ENTRIES
    assert briefing.entries[0].event == "event 3"


def test_key_events_name_who_they_are_from() -> None:
    key = entry(1, 5, "rolled back", kind="decision", attributed_to="carol", key_event=1)
    plain = entry(2, 6, "noted", key_event=1)
    briefing = briefing_model(facts(key_events=(key, plain)))
    assert [line.kind for line in briefing.key_events] == ["◆ decision (carol)", "◉ observation"]


def test_open_questions_say_how_long_they_have_waited_and_who_asked() -> None:
    question = entry(1, 20, "is the replica lagging?", kind="question", attributed_to="dan")
    amended = entry(2, 88, "old?", kind="question", amended_event="db up?")
    briefing = briefing_model(facts(open_questions=(question, amended)))
    assert briefing.questions == [
        QuestionLine("11:20", "1 h 10 min", "is the replica lagging?", "dan"),
        QuestionLine("12:28", "2 min", "db up?", "alice"),
    ]


def test_roles_show_their_holder_or_an_unassigned_required_role_as_missing() -> None:
    roles = (
        RosterLine(IC, assignment("incident_commander", "bob", "Bob Ray", 85), True),
        RosterLine(COMMS, None, True),
        RosterLine(SCRIBE, assignment("scribe", None, "", 30), False),
    )
    briefing = briefing_model(facts(roles=roles))
    assert briefing.roles == [
        RoleLine("Incident Commander", "Bob Ray (@bob)", "12:25", False),
        RoleLine("Communications Lead", None, "—", True),
        RoleLine("Scribe", None, "—", False),
    ]
    assert briefing.missing == ["Communications Lead"]


def test_conflicts_name_the_role_and_everyone_assigned_concurrently() -> None:
    group = (
        assignment("incident_commander", "bob", "Bob Ray", 85),
        assignment("incident_commander", "carol", "carol", 85),
    )
    unknown = (assignment("war_room_host", "dan", "", 85),)
    briefing = briefing_model(
        facts(roles=(RosterLine(IC, None, True),), conflicts=(group, unknown))
    )
    assert briefing.conflicts == [
        ("Incident Commander", "Bob Ray (@bob), @carol"),
        ("war room host", "@dan"),
    ]


def test_deadlines_open_overdue_and_met_are_listed_apart() -> None:
    deadlines = (
        deadline("Acknowledge", DeadlineState.MET, 30, met_at=at(10), met_by="alice"),
        deadline(
            "Management notification", DeadlineState.OVERDUE, 60, remaining=timedelta(minutes=-30)
        ),
        deadline("Internal update", DeadlineState.DUE_SOON, 95, remaining=timedelta(minutes=5)),
        deadline("Partner comms", DeadlineState.NOT_APPLICABLE, None),
        deadline("Customer comms", DeadlineState.UPCOMING, None),
    )
    briefing = briefing_model(facts(deadlines=deadlines))
    assert briefing.overdue == [DeadlineLine("Management notification", "12:00")]
    assert briefing.open_deadlines == [
        DeadlineLine("Management notification", "12:00", "+30:00", "overdue"),
        DeadlineLine("Internal update", "12:35", "05:00", "due soon"),
        DeadlineLine("Customer comms", "—", "", "upcoming"),
    ]
    assert briefing.met == [DeadlineLine("Acknowledge", "", met_at="11:10", met_by="alice")]


def test_unfinished_action_items_come_overdue_first_on_the_local_day() -> None:
    items = (
        item("Later", date(2026, 12, 5)),
        item("Done already", date(2026, 11, 1), status="done"),
        item("Late", date(2026, 11, 27), status="in_progress"),
    )
    briefing = briefing_model(facts(action_items=items))
    assert briefing.action_items == [
        ItemLine("2026-11-27", "Late", "bob", "Short-term", "In progress", True),
        ItemLine("2026-12-05", "Later", "bob", "Short-term", "Open", False),
    ]


def test_messages_are_grouped_per_audience_sorted_with_the_last_subject() -> None:
    messages = (
        SentMessage(at(10), "internal", "slack", "Declared"),
        SentMessage(at(5), "customer", "statuspage", "Investigating"),
        SentMessage(at(40), "internal", "email", "Update 1"),
    )
    briefing = briefing_model(
        facts(messages=messages, updates_sent=(at(10), at(40)), next_update=at(70))
    )
    assert briefing.audiences == [
        AudienceLine("customer", (("11:05", "statuspage"),), "Investigating"),
        AudienceLine("internal", (("11:10", "slack"), ("11:40", "email")), "Update 1"),
    ]
    assert briefing.updates_sent == ["11:10", "11:40"]
    assert briefing.next_update == "12:10"
