"""Concurrent edits of one review section: detected, shown and resolvable on every replica."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from commander.core.ops import Entity
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage.queries import ops_in_chain_order
from tests.services.ops_exchange import copy_ops


@pytest.fixture
def pair(tmp_path, clock):  # type: ignore[no-untyped-def]
    a = Workspace.open(tmp_path / "a", author="alice", clock=clock, zone=UTC)
    b = Workspace.open(tmp_path / "b", author="bob", clock=clock, zone=UTC)
    incident = IncidentService(a).declare(title="API down", severity="P1").incident
    copy_ops(a, b)
    yield a, b, incident.id
    a.close()
    b.close()


def _edit_concurrently(a: Workspace, b: Workspace, incident_id: str, clock) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        clock.advance(timedelta(seconds=5))
        ReviewService(a).set_field(incident_id, "primary_cause", f"Cert expired v{n}")
    for n in range(2):
        clock.advance(timedelta(seconds=5))
        ReviewService(b).set_field(incident_id, "primary_cause", f"DNS change v{n}")


@pytest.mark.parametrize("a_first", [True, False])
def test_concurrent_autosaves_leave_one_competing_version_on_both_laptops(
    pair, clock, a_first
) -> None:  # type: ignore[no-untyped-def]
    a, b, incident_id = pair
    _edit_concurrently(a, b, incident_id, clock)
    first, second = (a, b) if a_first else (b, a)
    copy_ops(first, second)
    copy_ops(second, first)
    for ws in (a, b):
        review = ReviewService(ws)
        # Bob's edits are newer: LWW shows his text; Alice's latest is the competing version.
        assert review.review_fields(incident_id)["primary_cause"] == "DNS change v1"
        competing = review.competing_versions(incident_id)
        assert list(competing) == ["primary_cause"]
        [version] = competing["primary_cause"]
        assert (version.author, version.text) == ("alice", "Cert expired v2")
        assert version.at == clock.now() - timedelta(seconds=10)
        shown = review.shown_version(incident_id, "primary_cause")
        assert shown is not None and shown.author == "bob"
        assert verify_workspace(ws).ok


def test_an_autosave_after_syncing_keeps_the_conflict_until_someone_resolves_it(
    pair, clock
) -> None:  # type: ignore[no-untyped-def]
    a, b, incident_id = pair
    _edit_concurrently(a, b, incident_id, clock)
    copy_ops(b, a)
    clock.advance(timedelta(seconds=5))
    ReviewService(a).set_field(incident_id, "primary_cause", "DNS change v1, and more")
    [version] = ReviewService(a).competing_versions(incident_id)["primary_cause"]
    assert version.text == "Cert expired v2"


def test_resolving_on_one_laptop_clears_the_conflict_on_both(pair, clock) -> None:  # type: ignore[no-untyped-def]
    a, b, incident_id = pair
    _edit_concurrently(a, b, incident_id, clock)
    copy_ops(a, b)
    copy_ops(b, a)
    review_a = ReviewService(a)
    [version] = review_a.competing_versions(incident_id)["primary_cause"]
    clock.advance(timedelta(seconds=5))
    review_a.resolve(incident_id, "primary_cause", version.text)  # "Use alice's version"
    with a.read() as conn:
        last = list(ops_in_chain_order(conn))[-1]
    assert last.entity == Entity.REVIEW and last.value["merges"] == [version.op_id]
    copy_ops(a, b)
    for ws in (a, b):
        review = ReviewService(ws)
        assert review.competing_versions(incident_id) == {}
        assert review.review_fields(incident_id)["primary_cause"] == "Cert expired v2"
        assert verify_workspace(ws).ok
    # An ordinary edit afterwards is sequential, not a new conflict.
    clock.advance(timedelta(seconds=5))
    ReviewService(b).set_field(incident_id, "primary_cause", "Cert expired, agreed")
    copy_ops(b, a)
    assert ReviewService(a).competing_versions(incident_id) == {}


def test_keeping_the_shown_text_also_resolves(pair, clock) -> None:  # type: ignore[no-untyped-def]
    a, b, incident_id = pair
    _edit_concurrently(a, b, incident_id, clock)
    copy_ops(a, b)
    copy_ops(b, a)
    review_b = ReviewService(b)
    shown = review_b.review_fields(incident_id)["primary_cause"]
    review_b.resolve(incident_id, "primary_cause", shown)
    copy_ops(b, a)
    for ws in (a, b):
        assert ReviewService(ws).competing_versions(incident_id) == {}
        assert ReviewService(ws).review_fields(incident_id)["primary_cause"] == "DNS change v1"


def test_sequential_edits_across_laptops_are_not_a_conflict(pair, clock) -> None:  # type: ignore[no-untyped-def]
    a, b, incident_id = pair
    ReviewService(a).set_field(incident_id, "primary_cause", "Cert expired")
    copy_ops(a, b)
    clock.advance(timedelta(seconds=5))
    ReviewService(b).set_field(incident_id, "primary_cause", "Cert expired (intermediate)")
    ReviewService(b).set_field(incident_id, "detection", "Pager")
    copy_ops(b, a)
    for ws in (a, b):
        assert ReviewService(ws).competing_versions(incident_id) == {}
