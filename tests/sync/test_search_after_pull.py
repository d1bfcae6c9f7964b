"""The search index after a pull: applied first, indexed after, never missed by a search."""

from __future__ import annotations

from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService
from commander.services.search import SearchService
from commander.storage import search_index
from commander.storage.database import dbapi
from commander.sync.server import connect
from tests.sync.helpers import engine_of, sync_once


def _stale(ws) -> int:  # type: ignore[no-untyped-def]
    with ws.read() as conn:
        return search_index.stale_count(dbapi(conn))


def test_a_pull_leaves_indexing_to_after_its_transactions(server, make_workspace) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    service = IncidentService(alice)
    incident = service.declare(title="Disk full on db-7", severity="P2").incident
    for n in range(30):
        service.log(incident.id, f"vacuum pass p{n:03d}q on db-7")
    sync_once(alice, server)
    engine = engine_of(bob)
    with connect(server) as pg:
        engine.prepare(pg)
        pulled = engine.pull(pg)
    assert pulled.applied >= 31
    stale = _stale(bob)
    assert stale >= 31  # noted by the triggers, not indexed inside the pull
    assert engine.index_pulled() == stale
    assert _stale(bob) == 0
    hits = SearchService(bob).matching_keys("p017q")
    assert len(hits) == 1


def test_a_search_catches_up_what_sync_has_not_indexed(server, make_workspace) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    service = IncidentService(alice)
    incident = service.declare(title="Partner API timeouts", severity="P1").incident
    service.log(incident.id, "acme gateway returns 504 for /orders")
    sync_once(alice, server)
    with connect(server) as pg:
        engine = engine_of(bob)
        engine.prepare(pg)
        engine.pull(pg)  # without index_pulled, as if the worker stopped right after
    assert _stale(bob) > 0
    results = SearchService(bob).search("gateway returns")
    assert results.hit_count == 1
    assert _stale(bob) == 0


def test_sync_indexes_what_it_pulled(server, make_workspace) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    service = IncidentService(alice)
    incident = service.declare(title="Queue backlog", severity="P2").incident
    service.log(incident.id, "consumer lag 40k on orders-queue")
    sync_once(alice, server)
    sync_once(bob, server)
    assert _stale(bob) == 0


def test_a_runbook_step_run_on_another_laptop_is_found_after_a_pull(server, make_workspace) -> None:
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="Mesh errors", severity="P2").incident
    RunbookService(alice).ran(incident.id, "net.proxy-status")
    sync_once(alice, server)
    sync_once(bob, server)
    hits = SearchService(bob).matching_keys("istioctl proxy-status")
    assert ("runbook", f"{incident.id}:net.proxy-status") in hits
    ChecklistService(alice).edit_step("net.proxy-status", text="Check every sidecar is synced")
    sync_once(alice, server)
    sync_once(bob, server)
    assert ("runbook", f"{incident.id}:net.proxy-status") in SearchService(bob).matching_keys(
        "sidecar is synced"
    )
