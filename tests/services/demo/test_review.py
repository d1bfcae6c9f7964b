"""The demo's review: its sections, action items tied to their entries, and the meeting."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from commander.services.action_items import ActionItemService
from commander.services.demo.create import create_demo
from commander.services.demo.review import ACTION_ITEMS, REVIEW_TEXT, tell_review
from commander.services.review import ReviewService


def test_the_review_is_written_on_an_incident_still_open(workspace, incidents, clock) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    moved: list[float] = []
    tell_review(workspace, incident.id, lambda minute: moved.append(minute) or clock.now(), 7)
    assert moved == [7]
    review = ReviewService(workspace)
    fields = review.review_fields(incident.id)
    assert {key: fields[key] for key in REVIEW_TEXT} == REVIEW_TEXT
    items = ActionItemService(workspace).action_items(incident.id)
    assert sorted(i.title for i in items) == sorted(row[0] for row in ACTION_ITEMS)
    assert all(i.entry_id is None for i in items)  # no entry of this incident starts so
    assert review.scheduled_review(incident.id) is None  # not resolved: no meeting yet


def test_the_demo_review_links_items_and_meets_three_days_after(workspace) -> None:
    incident = create_demo(workspace).incident
    review = ReviewService(workspace)
    entries = {e.id: e.event for e in review.timeline(incident.id)[0]}
    items = {i.title: i for i in ActionItemService(workspace).action_items(incident.id)}
    for title, owner, term, status, tracker, entry_start in ACTION_ITEMS:
        item = items[title]
        assert (item.owner, item.term, item.status, item.tracker_url) == (
            owner,
            term,
            status,
            tracker,
        )
        if entry_start:
            assert entries[item.entry_id].startswith(entry_start)
        else:
            assert item.entry_id is None
    resolved = review.metrics(incident.id).resolved_at
    day = (resolved + timedelta(days=3)).astimezone(workspace.zone).date()
    assert review.scheduled_review(incident.id) == datetime.combine(
        day, time(14, 0), tzinfo=workspace.zone
    )
