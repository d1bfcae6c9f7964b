"""The review through a real PostgreSQL: sections and action items reach the other laptop,
concurrent edits of different fields both survive, the same field keeps the newer edit."""

from __future__ import annotations

from commander.services.action_items import ActionItemService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.verify import verify_workspace
from tests.sync.helpers import sync_once


def test_review_text_and_action_items_sync_and_merge(make_workspace, server) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    ours, theirs = ReviewService(alice), ReviewService(bob)
    our_items, their_items = ActionItemService(alice), ActionItemService(bob)
    ours.set_field(incident.id, "primary_cause", "Expired certificate")
    item = our_items.add_action_item(incident.id, "Alert on renewal failures", owner="sofia")
    sync_once(alice, server)
    sync_once(bob, server)
    assert theirs.review_fields(incident.id)["primary_cause"] == "Expired certificate"
    assert their_items.action_item(item.id).owner == "sofia"
    # Offline on both laptops: different fields and the same field.
    our_items.update_action_item(item.id, status="in_progress")
    their_items.update_action_item(item.id, owner="priya")
    ours.set_field(incident.id, "detection", "Pager")
    bob.clock.advance(1)
    theirs.set_field(incident.id, "detection", "Pager, then 14 tickets")  # the newer edit
    for ws in (alice, bob, alice):
        sync_once(ws, server)
    for service, items in ((ours, our_items), (theirs, their_items)):
        merged = items.action_item(item.id)
        assert (merged.status, merged.owner) == ("in_progress", "priya")
        assert service.review_fields(incident.id)["detection"] == "Pager, then 14 tickets"
    assert verify_workspace(alice).ok and verify_workspace(bob).ok
