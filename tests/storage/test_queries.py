"""The materialized tables read as core records (storage/queries.py): incidents newest declared
first and matched by id or reference, the timeline in (time, stamp, id) order with its newest
page and the rest before a key, entries fetched by id in chunks, what changed after a seq, and
an incident's register history from the op log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection

from commander.core.clock import FakeClock, to_ms
from commander.core.errors import NotFoundError
from commander.core.ops import Entity, Field, register_change
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.database import open_engine
from tests.storage.foreign_ops import WALL0, entry, feed, iso_of, op


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _create(n: int, incident: str = "inc", ref: str = "INC-1") -> object:
    return op(
        n, Entity.INCIDENT, incident, Field.CREATE,
        {"ref": ref, "title": "API down", "severity": "P1", "status": "investigating",
         "phase": "detection", "services": ["api"], "impact": "", "declared_at": iso_of(n)},
        incident=incident, op_id=f"create-{incident}",
    )  # fmt: skip


def test_incidents_newest_first_and_matched_by_id_or_reference(conn: Connection) -> None:
    feed(conn, [_create(1, "ab_1", "INC-20261118-AAAAAA"), _create(5, "abc-2", "INC-2")])
    listed = [i.id for i in queries.list_incidents(conn)]
    by_ref = queries.match_incidents(conn, "  inc-20261118-aaaaaa ")
    by_prefix = queries.match_incidents(conn, "ab")
    underscore = queries.match_incidents(conn, "ab_")
    ref_prefix = queries.match_incidents(conn, "inc-2026")
    got = queries.get_incident(conn, "ab_1")
    assert listed == ["abc-2", "ab_1"]
    assert [i.id for i in by_ref] == ["ab_1"]  # exact, any case, trimmed
    assert sorted(i.id for i in by_prefix) == ["ab_1", "abc-2"]
    assert [i.id for i in underscore] == ["ab_1"]  # the user's _ is no LIKE wildcard
    assert [i.id for i in ref_prefix] == ["ab_1"]
    assert queries.match_incidents(conn, "%") == []  # nor is %
    assert queries.get_incident(conn, "no-such-id") is None
    assert got is not None and got.services == ("api",) and got.declared_by == "author-a"
    assert to_ms(got.declared_at) == WALL0 + 1
    assert queries.ref_exists(conn, "INC-2") and not queries.ref_exists(conn, "inc-2")


def test_count_of_incidents_not_in_some_statuses_and_existence(
    workspace: Workspace, incidents: IncidentService
) -> None:
    open_one = incidents.declare(title="A", severity="P2").incident
    done = incidents.declare(title="B", severity="P2").incident
    incidents.set_field(done.id, "status", "resolved")
    with workspace.read() as conn:
        active = queries.count_incidents_with_status_other_than(conn, ("resolved", "closed"))
        every = queries.count_incidents_with_status_other_than(conn, ())
        assert queries.incident_exists(conn, open_one.id)
        assert not queries.incident_exists(conn, "missing")
        queries.require_incident(conn, done.id)
        with pytest.raises(NotFoundError, match="missing"):
            queries.require_incident(conn, "missing")
    assert (active, every) == (1, 2)


def test_the_timeline_is_ordered_by_time_then_stamp_then_id(conn: Connection) -> None:
    same_time = iso_of(10)
    ties = [
        op(12, Entity.ENTRY, eid, Field.CREATE, {"occurred_at": same_time, "event": eid},
           op_id=f"op-{eid}")
        for eid in ("e-b", "e-a")
    ]  # fmt: skip
    ties.append(op(11, Entity.ENTRY, "e-c", Field.CREATE, {"occurred_at": same_time, "event": "c"}))
    feed(conn, [_create(1), entry(20, "e-late", "late"), *ties, entry(5, "e-early", "early")])
    order = [e.id for e in queries.timeline(conn, "inc")]
    assert order == ["e-early", "e-c", "e-a", "e-b", "e-late"]  # e-a/e-b: same time and stamp
    assert [e.id for e in queries.timeline(conn, "inc", last=2)] == ["e-b", "e-late"]
    page = queries.timeline(conn, "inc", last=2)[0]
    before = (page.occurred_at_ms, page.hlc, page.id)
    assert [e.id for e in queries.timeline(conn, "inc", before=before)] == order[:3]
    assert queries.timeline(conn, "other") == [] and queries.count_entries(conn, "inc") == 5
    assert queries.timeline(conn, "inc")[0].occurred_at_ms == WALL0 + 5


def test_entries_by_id_come_in_chunks_and_skip_missing_ones(conn: Connection) -> None:
    ids = [f"e-{n:04d}" for n in range(1, 1201)]
    feed(conn, [_create(0), *(entry(n, eid, f"line {n}") for n, eid in enumerate(ids, 1))])
    asked = [*reversed(ids), "missing"]
    found = queries.entries(conn, asked)
    assert sorted(e.id for e in found) == ids  # 1,201 ids: three chunks of at most 500
    assert queries.entry(conn, "e-0600").event == "line 600"  # type: ignore[union-attr]
    assert queries.entry(conn, "missing") is None and queries.entries(conn, []) == []


def test_a_struck_and_amended_entry_reads_with_its_marks(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    logged, _ = incidents.log(incident.id, "restarted pods", action="kubectl rollout")
    incidents.amend(logged.id, event="restarted api pods")
    incidents.strike(logged.id, "wrong cluster")
    with workspace.read() as conn:
        read = queries.entry(conn, logged.id)
    assert read is not None and read.struck == 1 and read.strike_reason == "wrong cluster"
    assert (read.event, read.amended_event) == ("restarted pods", "restarted api pods")
    assert read.author == "alice" and read.kind == "observation"


def test_changes_since_names_what_later_ops_touched(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    with workspace.read() as conn:
        start = queries.last_seq(conn)
    logged, changed = incidents.log(incident.id, "first look")
    incidents.set_field(incident.id, "title", "API is down")
    with workspace.read() as conn:
        end = queries.last_seq(conn)
        changes = queries.changes_since(conn, start)
        skipping = queries.changes_since(conn, start, skip=changed.seqs)
        nothing = queries.changes_since(conn, end)
        ops = list(queries.ops_in_chain_order(conn))
        assert queries.count_ops(conn) == len(ops) == end
    assert end == start + 3 and changes.last_seq == end
    assert logged.id in changes.entry_ids[incident.id] and incident.id in changes.records_changed
    assert logged.id not in skipping.entry_ids.get(incident.id, set())
    assert skipping.last_seq == end  # a skipped op still moves the seq on
    assert nothing.last_seq == end and not nothing.incident_ids
    assert [o.field for o in ops[-2:]] == [Field.TITLE, Field.CREATE]  # seq order
    assert ops[-2].value["value"] == "API is down" and ops[-2].hash


def test_register_history_lists_each_field_from_its_declared_value(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    incident = incidents.declare(title="API down", severity="P3").incident
    clock.advance(timedelta(minutes=3))
    incidents.set_field(incident.id, "severity", "P1")
    clock.advance(timedelta(minutes=4))
    incidents.set_field(incident.id, "status", "identified")
    with workspace.read() as conn:
        history = queries.register_history(conn, incident.id)
        assert queries.register_history(conn, "missing") is None
    assert history is not None and history.declared_at == incident.declared_at
    start = incident.declared_at
    assert history.of("severity") == [(start, "P3"), (start + timedelta(minutes=3), "P1")]
    assert history.changes_of("status") == [(start + timedelta(minutes=7), "identified")]
    assert history.of("no_such_field") == []
    assert to_ms(history.of("status")[0][0]) == to_ms(start)


def test_register_history_needs_the_create_op_first(conn: Connection) -> None:
    change = op(1, Entity.INCIDENT, "inc", Field.TITLE, register_change("Early", None))
    feed(conn, [change])  # a change pulled before its create: no history yet
    assert queries.register_history(conn, "inc") is None
    feed(conn, [_create(0)])
    history = queries.register_history(conn, "inc")
    assert history is not None and history.changes_of("title")[0][1] == "Early"
    assert queries.get_incident(conn, "inc").title == "Early"  # type: ignore[union-attr]
