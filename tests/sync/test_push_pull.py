"""Push and pull against a real PostgreSQL: the basic exchange, idempotence, refusals."""

from __future__ import annotations

from commander.services.incidents import IncidentService
from commander.sync.engine import SyncEngine
from commander.sync.server import connect
from commander.sync.url import ServerUrl


def sync(ws, server: ServerUrl):
    engine = SyncEngine(ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer)
    with connect(server) as pg:
        return engine.sync(pg)


def test_two_workspaces_exchange_ops(make_workspace, server):
    alice, bob = make_workspace("alice"), make_workspace("bob")
    declared = IncidentService(alice).declare(title="API down", severity="P1")
    IncidentService(alice).log(declared.incident.id, "Paged on-call")
    first = sync(alice, server)
    assert first.pushed.accepted == 1 + 3 and first.pending == 0  # the node's key op first
    got = sync(bob, server)
    assert got.pulled.applied == 1 + 3
    timeline = IncidentService(bob).timeline(declared.incident.id)
    assert [e.event for e in timeline][-1] == "Paged on-call"
    again = sync(bob, server)
    assert again.pulled.applied == 0 and again.pushed.accepted == 0
