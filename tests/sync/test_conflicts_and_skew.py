"""Concurrent edits are surfaced the same way everywhere; a clock far ahead does not win."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.sync.server import connect
from tests.sync.conftest import now_clock
from tests.sync.helpers import sync_once


def _conflicts(ws, incident_id):
    return [e for e in IncidentService(ws).timeline(incident_id) if e.kind == "conflict"]


def test_concurrent_severity_changes_leave_one_conflict_entry_everywhere(make_workspace, server):
    alice, bob = make_workspace("alice"), make_workspace("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P2").incident
    sync_once(alice, server)
    sync_once(bob, server)
    bob.clock.advance(1)
    IncidentService(alice).set_field(incident.id, "severity", "P1")
    IncidentService(bob).set_field(incident.id, "severity", "P0")
    for ws in (alice, bob, alice):
        sync_once(ws, server)
    for ws in (alice, bob):
        assert IncidentService(ws).get(incident.id).severity.value == "P0"
        (entry,) = _conflicts(ws, incident.id)
        assert entry.event == "Severity set to P0 by bob, concurrently with P1 by alice"
        assert verify_workspace(ws).ok
    assert _conflicts(alice, incident.id)[0].id == _conflicts(bob, incident.id)[0].id


def test_clock_far_ahead_does_not_win_and_is_named(make_workspace, server, caplog):
    alice = make_workspace("alice")
    carol_clock = now_clock()
    carol_clock.advance(timedelta(hours=2))
    carol = make_workspace("carol", carol_clock)
    incident = IncidentService(alice).declare(title="DB slow", severity="P2").incident
    sync_once(alice, server)
    sync_once(carol, server)
    IncidentService(carol).set_field(incident.id, "severity", "P0")
    result = sync_once(carol, server)
    assert any("ahead" in w for w in result.warnings)
    # Alice's (correct) clock reads later than the server's stamp for carol's change.
    # real clock: the server stamped carol's change with its own now()
    alice.clock.set(datetime.now(UTC) + timedelta(seconds=1))
    IncidentService(alice).set_field(incident.id, "severity", "P3")
    with caplog.at_level("WARNING"):
        for ws in (alice, carol, alice):
            sync_once(ws, server)
    assert carol.node_id in caplog.text and "carol" in caplog.text
    for ws in (alice, carol):
        assert IncidentService(ws).get(incident.id).severity.value == "P3"
        (entry,) = _conflicts(ws, incident.id)
        assert entry.event == "Severity set to P3 by alice, concurrently with P0 by carol"
        assert verify_workspace(ws).ok, verify_workspace(ws).to_json()
    with connect(server) as pg:
        hlc, effective = pg.execute(
            "SELECT hlc, effective_hlc FROM commander.op WHERE node_id = %s AND field = 'severity'",
            (carol.node_id,),
        ).fetchone()
    assert hlc != effective  # the original stamp stays, for the record
