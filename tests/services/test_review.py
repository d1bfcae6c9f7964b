"""The review store: autosaved sections as ops, the numbers, the meeting and its invitation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commander.core.deadlines import DeadlineState
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ops import Entity
from commander.core.people import Person
from commander.services.action_items import ActionItemService
from commander.services.people import PeopleService
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import oplog, queries
from commander.storage.database import dbapi


@pytest.fixture
def review(workspace) -> ReviewService:
    return ReviewService(workspace)


@pytest.fixture
def items(workspace) -> ActionItemService:
    return ActionItemService(workspace)


@pytest.fixture
def incident(incidents):
    return incidents.declare(title="API down", severity="P1", services="api").incident


def _ops(workspace: Workspace, entity: str) -> list:
    with workspace.read() as conn:
        return [op for op in queries.ops_in_chain_order(conn) if op.entity == entity]


def test_autosave_writes_one_op_per_change_and_none_for_the_same_text(
    review, incident, workspace
) -> None:
    review.set_field(incident.id, "primary_cause", "Expired certificate")
    review.set_field(incident.id, "primary_cause", "  Expired certificate ")  # focus-out again
    review.set_field(incident.id, "detection", "Alert\nfired at 10:00")
    ops = _ops(workspace, Entity.REVIEW)
    assert [(op.field, op.value["value"]) for op in ops] == [
        ("primary_cause", "Expired certificate"),
        ("detection", "Alert\nfired at 10:00"),
    ]
    fields = review.review_fields(incident.id)
    assert list(fields)[:2] == ["services_affected", "customer_impact"]
    assert fields["primary_cause"] == "Expired certificate" and fields["prevention"] == ""
    review.set_field(incident.id, "primary_cause", "Expired intermediate certificate")
    last = _ops(workspace, Entity.REVIEW)[-1]
    assert last.value["base"] == ops[0].op_id  # the change records what it replaced
    assert verify_workspace(workspace).ok


def test_bad_review_input_is_refused(review, incident) -> None:
    with pytest.raises(ValidationError, match="Unknown review field"):
        review.set_field(incident.id, "root", "x")
    with pytest.raises(NotFoundError):
        review.set_field("no-such-incident", "detection", "x")
    with pytest.raises(ValidationError, match="limit"):
        review.set_field(incident.id, "detection", "x" * 20_001)


def test_concurrent_edits_keep_the_newest_in_any_delivery_order(
    review, items, incident, workspace, tmp_path, clock
) -> None:
    review.set_field(incident.id, "what_happened", "first")
    item = items.add_action_item(incident.id, "Alert on expiry", owner="bob")
    other = Workspace.open(tmp_path / "other", author="bob", clock=clock, zone=UTC)
    try:
        with workspace.read() as conn:
            ours = list(queries.ops_in_chain_order(conn))
        with other.write() as conn:
            for op in ours:
                oplog.store(conn, op)
                oplog.apply(conn, op)
        replica = ReviewService(other)
        replica_items = ActionItemService(other)
        clock.advance(5)
        replica.set_field(incident.id, "what_happened", "bob's newer text")
        replica_items.update_action_item(item.id, status="in_progress")
        items.update_action_item(item.id, owner="carol")  # a different field: both survive
        with other.read() as conn:
            theirs = [op for op in queries.ops_in_chain_order(conn) if op.node_id == other.node_id]
        with workspace.write() as conn:
            for op in theirs:
                oplog.store(conn, op)
            for op in reversed(theirs):  # applied out of order on purpose
                oplog.apply(conn, op)
    finally:
        other.close()
    assert review.review_fields(incident.id)["what_happened"] == "bob's newer text"
    merged = items.action_item(item.id)
    assert (merged.status, merged.owner) == ("in_progress", "carol")
    # An older edit delivered again (sync retry) changes nothing.
    first = next(op for op in ours if op.entity == Entity.REVIEW)
    with workspace.write() as conn:
        oplog.apply(conn, first)
    assert review.review_fields(incident.id)["what_happened"] == "bob's newer text"
    assert verify_workspace(workspace).ok


def test_metrics_read_the_record(review, incidents, incident, clock) -> None:
    from commander.core.business_hours import BusinessHours
    from commander.services.deadlines import DeadlineService

    deadlines = DeadlineService(incidents.workspace, hours=BusinessHours(zone=UTC))
    clock.advance(timedelta(minutes=12))
    deadlines.mark_met(incident.id, "response")
    clock.advance(timedelta(minutes=30))
    incidents.set_field(incident.id, "status", "monitoring")
    clock.advance(timedelta(minutes=48))
    incidents.set_field(incident.id, "status", "resolved")
    metrics = review.metrics(incident.id)
    assert metrics.time_to_acknowledge == timedelta(minutes=12)
    assert metrics.time_to_mitigate == timedelta(minutes=42)
    assert metrics.duration == timedelta(minutes=90)
    assert "Acknowledge" in metrics.deadlines_met
    assert "Management notification" in metrics.deadlines_missed  # never recorded, due 1 h


def test_scheduling_logs_the_meeting_and_checks_the_week(review, incidents, incident, clock):
    with pytest.raises(ValidationError, match="not resolved"):
        review.mark_review_held(incident.id)
    clock.advance(timedelta(hours=2))
    incidents.set_field(incident.id, "status", "resolved")  # 12:00: review due 5 Dec 12:00
    review.schedule_review(incident.id, datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    schedule = review.schedule(incident.id)
    assert schedule.within_deadline is True and schedule.minutes == 60
    assert review.scheduled_review(incident.id) == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    late = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    review.schedule_review(incident.id, late, minutes=90)
    assert review.schedule(incident.id).within_deadline is False
    events = [(e.event, e.action) for e in incidents.timeline(incident.id)]
    assert ("Post-incident review scheduled for 2026-12-02 14:00 (60 min)", "") in events
    assert (
        "Post-incident review scheduled for 2026-12-08 09:00 (90 min)",
        "After the one-week deadline (2026-12-05 12:00)",
    ) in events
    assert review.review_deadline(incident.id).state is DeadlineState.UPCOMING
    review.mark_review_held(incident.id)
    assert review.review_deadline(incident.id).state is DeadlineState.MET
    review.schedule_review(incident.id, None)
    assert review.schedule(incident.id) is None
    with pytest.raises(ValidationError, match="time zone"):
        review.schedule_review(incident.id, datetime(2026, 12, 2, 14, 0))


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_the_invitation_is_rfc5545_with_roster_emails_and_the_report_link(
    review, incident, workspace
) -> None:
    with pytest.raises(ValidationError, match="schedule it first"):
        review.review_ics(incident.id)
    people = PeopleService(workspace)
    people.save_person(Person("alice", "Alice Smith", email="alice@example.com"))
    people.save_person(Person("bob", "Bob Jones", email="bob@example.com"))
    people.save_person(Person("dan", "Dan No-Email"))
    roster = RosterService(workspace)
    roster.assign(incident.id, "IC", "alice")
    roster.assign(incident.id, "tech lead", "bob")
    roster.assign(incident.id, "communications lead", "dan")
    review.schedule_review(
        incident.id, datetime(2026, 12, 2, 15, 30, tzinfo=UTC).astimezone(workspace.zone)
    )
    review.schedule_review(incident.id, datetime(2026, 12, 3, 15, 30, tzinfo=UTC))
    raw = review.review_ics(incident.id)
    text = raw.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded
    body = _unfold(text)
    assert f"UID:review-{incident.id}@commander" in body
    assert "DTSTAMP:20261128T100000Z" in body
    assert "DTSTART:20261203T153000Z" in body and "DTEND:20261203T163000Z" in body
    assert "SEQUENCE:1" in body and "METHOD:REQUEST" in body
    assert "mailto:alice@example.com" in body.split("ORGANIZER")[1].split("\r\n")[0]
    attendees = [line for line in body.split("\r\n") if line.startswith("ATTENDEE")]
    assert len(attendees) == 1 and "mailto:bob@example.com" in attendees[0]
    assert f"Incident report: {incident.ref}-report.html" in body
    linked = _unfold(
        review.review_ics(incident.id, report_url="https://wiki.example/reports/").decode()
    )
    assert f"https://wiki.example/reports/{incident.ref}-report.html" in linked
    assert f"URL:https://wiki.example/reports/{incident.ref}-report.html" in linked


def test_the_invitation_parses_back(review, incident) -> None:
    from icalendar import Calendar

    review.schedule_review(incident.id, datetime(2026, 12, 3, 15, 30, tzinfo=UTC), minutes=45)
    calendar = Calendar.from_ical(review.review_ics(incident.id))
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2026, 12, 3, 15, 30, tzinfo=UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert "Response effectiveness" in str(event["description"])


def test_review_rows_are_replayed_by_verify(review, items, incident, workspace) -> None:
    review.set_field(incident.id, "monitoring", "Dashboards for 48 h")
    items.add_action_item(incident.id, "Alert on expiry")
    review.schedule_review(incident.id, datetime(2026, 12, 3, 15, 30, tzinfo=UTC))
    assert verify_workspace(workspace).ok
    with workspace.write() as conn:  # edited behind the log's back
        dbapi(conn).execute("UPDATE review_field SET text = 'tampered'")
        dbapi(conn).execute("UPDATE action_item SET status = 'done'")
    report = verify_workspace(workspace)
    assert {m.table for m in report.mismatches} == {"review_field", "action_item"}
