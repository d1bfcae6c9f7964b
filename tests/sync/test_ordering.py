"""Ordering under clock skew: one apply path, stamps no server can change, a total timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commander.core.clock import to_ms
from commander.core.people import Person
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.verify import verify_workspace
from commander.storage import oplog
from commander.sync.server import connect
from tests.sync.conftest import now_clock
from tests.sync.helpers import sync_once


def _skewed(hours: float):  # type: ignore[no-untyped-def]
    clock = now_clock()
    clock.advance(timedelta(hours=hours))
    return clock


def _phone(ws, handle: str) -> str:  # type: ignore[no-untyped-def]
    return PeopleService(ws).person(handle).phone


def test_phone_edited_on_a_laptop_two_hours_ahead_then_later_on_a_correct_one(
    make_workspace, server
):
    ann, ben = make_workspace("ann"), make_workspace("ben")
    skewed = make_workspace("sky", _skewed(2))
    PeopleService(ann).save_person(Person("dana", "Dana", phone="111"))
    for ws in (ann, ben, skewed):
        sync_once(ws, server)
    PeopleService(skewed).save_person(Person("dana", "Dana", phone="222"))
    result = sync_once(skewed, server)
    assert any("ahead" in warning for warning in result.warnings)
    # A minute later (real time), on a correct laptop that has seen the 222 edit:
    sync_once(ben, server)
    assert _phone(ben, "dana") == "222"
    ben.clock.set(datetime.now(UTC) + timedelta(minutes=1))  # real clock: the server clamps by it
    PeopleService(ben).save_person(Person("dana", "Dana", phone="333"))
    for ws in (ben, skewed, ann, skewed):
        sync_once(ws, server)
    for ws in (ann, ben, skewed):
        assert _phone(ws, "dana") == "333", ws.author
        report = verify_workspace(ws)
        assert report.ok, report.to_json()


def test_an_entry_from_a_clock_ahead_is_not_in_the_future_on_any_replica(make_workspace, server):
    ann = make_workspace("ann")
    skewed = make_workspace("sky", _skewed(2))
    incident = IncidentService(ann).declare(title="Disk full", severity="P2").incident
    sync_once(ann, server)
    sync_once(skewed, server)
    entry, _ = IncidentService(skewed).log(incident.id, "Rotated the logs")
    assert entry.occurred_at_ms == to_ms(skewed.clock.now())  # two hours ahead, locally
    sync_once(skewed, server)
    sync_once(ann, server)
    latest = to_ms(datetime.now(UTC))  # real clock: the server's time bounds the stamp
    for ws in (ann, skewed):
        (shown,) = [e for e in IncidentService(ws).timeline(incident.id) if e.id == entry.id]
        assert shown.occurred_at_ms <= latest, ws.author
        assert shown.occurred_at_ms >= latest - 60_000
        assert verify_workspace(ws).ok
    with ann.read() as conn:  # the op itself still says what the laptop's clock said
        (value,) = (
            oplog.dbapi(conn)
            .execute("SELECT value FROM op WHERE entity_id = ? AND field = 'create'", (entry.id,))
            .fetchone()
        )
    assert "occurred_at" in value


def test_conflict_entries_with_one_time_are_listed_alike_everywhere(make_workspace, server):
    replicas = [make_workspace(name) for name in ("ann", "ben", "cat")]
    incident = IncidentService(replicas[0]).declare(title="API", severity="P2").incident
    for ws in replicas:
        sync_once(ws, server)
    start = max(ws.clock.now() for ws in replicas)
    for ws, severity, after in zip(replicas, ("P1", "P0", "P3"), (1, 3, 2), strict=True):
        ws.clock.set(start + timedelta(seconds=after))
        IncidentService(ws).set_field(incident.id, "severity", severity)
    for order in ((0, 1, 2), (2, 1, 0), (1, 0, 2)):
        for index in order:
            sync_once(replicas[index], server)
    listings = []
    for ws in replicas:
        entries = [e for e in IncidentService(ws).timeline(incident.id) if e.kind == "conflict"]
        listings.append([(e.id, e.event) for e in entries])
    assert len(listings[0]) == 3
    tied = [e for e in listings[0] if "set to P0 by ben" in e[1]]
    assert len(tied) == 2  # ben's P0 won both of its pairs: same time, same stamp
    assert listings[1] == listings[0] and listings[2] == listings[0]
    positions = [listings[0].index(e) for e in tied]
    assert [e[0] for e in tied] == sorted(e[0] for e in tied)  # the id breaks the tie
    assert positions == sorted(positions)


def test_changing_effective_hlc_on_the_server_changes_no_outcome(make_workspace, server):
    ann, ben = make_workspace("ann"), make_workspace("ben")
    incident = IncidentService(ann).declare(title="Queue", severity="P2").incident
    sync_once(ann, server)
    sync_once(ben, server)
    ann.clock.advance(1)
    IncidentService(ann).set_field(incident.id, "severity", "P1")
    ben.clock.advance(2)
    IncidentService(ben).set_field(incident.id, "severity", "P0")  # later: ben wins
    sync_once(ann, server)
    sync_once(ben, server)
    # An administrator makes ann's change look newest, hoping a fresh laptop takes P1.
    with connect(server) as pg:
        pg.execute(
            "UPDATE commander.op SET effective_hlc = '999999999999999.000000' "
            "WHERE node_id = %s AND field = 'severity'",
            (ann.node_id,),
        )
        pg.commit()
    fresh = make_workspace("fresh")
    for ws in (fresh, ann, ben):
        sync_once(ws, server)
        assert IncidentService(ws).get(incident.id).severity.value == "P0", ws.author
        assert verify_workspace(ws).ok


def test_a_workspace_that_held_the_servers_stamps_drops_them_and_adopts_its_own(
    make_workspace, server
):
    skewed = make_workspace("sky", _skewed(2))
    ann = make_workspace("ann")
    incident = IncidentService(skewed).declare(title="Cache", severity="P2").incident
    sync_once(skewed, server)
    sync_once(ann, server)
    # As before this change: stamps no op of the node backs sit in op_stamp.
    with skewed.write() as conn:
        raw = oplog.dbapi(conn)
        raw.execute("DELETE FROM op_stamp")
        raw.execute("INSERT INTO op_stamp SELECT op_id, '000000000000001.000000' FROM op")
        raw.execute("DELETE FROM meta WHERE key = 'sync.ordering'")
    sync_once(skewed, server)
    sync_once(ann, server)
    with skewed.read() as conn:
        stamps = oplog.dbapi(conn).execute("SELECT hlc FROM op_stamp").fetchall()
    assert stamps and all(stamp != "000000000000001.000000" for (stamp,) in stamps)
    for ws in (skewed, ann):
        assert IncidentService(ws).get(incident.id).title == "Cache"
        assert verify_workspace(ws).ok, verify_workspace(ws).to_json()
