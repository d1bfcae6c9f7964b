"""JSON export → import (services/transfer.py): the incident arrives whole, its evidence still
verifies; a second, damaged or newer file is refused in one sentence and changes nothing.

The incident is the report tests' known one (tests/reports/conftest.py)."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commander.core.business_hours import BusinessHours
from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.people import Person
from commander.services.action_items import ActionItemService
from commander.services.impact import ImpactService
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.review import ReviewService
from commander.services.roster import RosterService
from commander.services.transfer import GAPS_KEY, materialized_rows
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import oplog
from tests.reports.conftest import T0, Told, reports_for, tell


@pytest.fixture
def told(workspace: Workspace, clock: FakeClock) -> Told:
    return tell(workspace, clock)


@pytest.fixture
def fresh(tmp_path: Path, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Another, empty workspace on the same clock (an import target)."""
    ws = Workspace.open(tmp_path / "other", author="bert", clock=clock, zone=UTC)
    yield ws
    ws.close()


def _round_trip(source: Workspace, target: Workspace, incident_id: str, tmp: Path):
    path = tmp / "incident.json"
    reports_for(source).export(incident_id, "json", path)
    return reports_for(target).import_file(path)


def test_import_reproduces_the_incident_and_its_chain_verifies(told, workspace, fresh, tmp_path):
    summary = _round_trip(workspace, fresh, told.incident_id, tmp_path)
    assert summary.ref.startswith("INC-") and summary.gaps > 0
    assert materialized_rows(fresh, told.incident_id) == materialized_rows(
        workspace, told.incident_id
    )
    assert reports_for(fresh).record(told.incident_id) == reports_for(workspace).record(
        told.incident_id
    )
    assert [i.id for i in IncidentService(fresh).list()] == [told.incident_id]
    report = verify_workspace(fresh)
    assert report.ok, report.to_json()
    # The other incident stayed home.
    assert IncidentService(fresh).list()[0].title.startswith("Checkout")
    # Work goes on in the new workspace: its own changes win over the imported ones.
    IncidentService(fresh).set_field(told.incident_id, "status", "closed")
    assert IncidentService(fresh).get(told.incident_id).status.value == "closed"
    assert verify_workspace(fresh).ok


def test_a_second_import_is_refused_and_changes_nothing(told, workspace, fresh, tmp_path):
    _round_trip(workspace, fresh, told.incident_id, tmp_path)
    with fresh.read() as conn:
        before = oplog.read_meta(conn, GAPS_KEY)
    with pytest.raises(ValidationError, match="already in this workspace"):
        reports_for(fresh).import_file(tmp_path / "incident.json")
    with fresh.read() as conn:
        assert oplog.read_meta(conn, GAPS_KEY) == before


def test_two_incidents_from_one_workspace_import_side_by_side(told, workspace, fresh, tmp_path):
    RosterService(workspace).assign(told.other_id, "IC", "alice")
    reports_for(workspace).export(told.other_id, "json", tmp_path / "other.json")
    reports_for(fresh).import_file(tmp_path / "other.json")
    summary = _round_trip(workspace, fresh, told.incident_id, tmp_path)
    assert summary.already_present > 0  # the people both incidents share are not doubled
    assert len(IncidentService(fresh).list()) == 2
    assert verify_workspace(fresh).ok


def test_gap_marks_do_not_excuse_a_broken_link(told, workspace, fresh, tmp_path):
    """An imported op edited in the workspace afterwards is still named by verify."""
    _round_trip(workspace, fresh, told.incident_id, tmp_path)
    with fresh.write() as conn:
        conn.exec_driver_sql(
            "UPDATE op SET value = '{\"event\":\"forged\"}' WHERE entity = 'entry' AND field = "
            "'create' AND op_id = (SELECT op_id FROM op WHERE entity = 'entry' ORDER BY seq "
            "LIMIT 1 OFFSET 3)"
        )
    assert not verify_workspace(fresh).ok


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, o: d["ops"][2].update(author="mallory"), "does not match its hash"),
        (lambda d, o: d.update(format_version=99), "newer than this Commander"),
        (lambda d, o: d["ops"][0].update(schema_version=99), "newer Commander"),
        (lambda d, o: d.pop("ops"), "not a valid Commander incident export"),
        (
            lambda d, o: d.update(ops=[op for op in d["ops"] if op["entity"] != "incident"]),
            "no op creating its incident",
        ),
        (lambda d, o: d["ops"].append(o["ops"][-1]), "belongs to another"),
    ],
)
def test_damaged_or_newer_files_are_refused_whole(
    told, workspace, fresh, tmp_path, change, message
):
    document = reports_for(workspace).export_json(told.incident_id)
    change(document, reports_for(workspace).export_json(told.other_id))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(ValidationError, match=message):
        reports_for(fresh).import_file(path)
    assert IncidentService(fresh).list() == []


def test_not_json_and_not_an_export(fresh, tmp_path):
    (tmp_path / "a.json").write_text("# report", "utf-8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        reports_for(fresh).import_file(tmp_path / "a.json")
    (tmp_path / "b.json").write_text('{"hello": 1}', "utf-8")
    with pytest.raises(ValidationError, match="not a Commander incident export"):
        reports_for(fresh).import_file(tmp_path / "b.json")
    with pytest.raises(ValidationError, match="Cannot read"):
        reports_for(fresh).import_file(tmp_path / "missing.json")


# -- property: any incident survives the round trip -----------------------------------------

_PEOPLE = ("ann", "ben", "cat")
_ACTIONS = st.one_of(
    st.tuples(st.just("log"), st.text(min_size=1, max_size=30).filter(str.strip)),
    st.tuples(st.just("severity"), st.sampled_from(["P0", "P1", "P2", "P3"])),
    st.tuples(st.just("status"), st.sampled_from(["identified", "monitoring", "resolved"])),
    st.tuples(st.just("phase"), st.sampled_from(["investigation", "containment", "resolution"])),
    st.tuples(st.just("title"), st.text(min_size=1, max_size=20).filter(str.strip)),
    st.tuples(
        st.just("assign"),
        st.sampled_from(["IC", "Technical Lead", "Scribe"]),
        st.sampled_from(_PEOPLE),
    ),
    st.tuples(st.just("release"), st.sampled_from(["IC", "Technical Lead"])),
    st.tuples(st.just("strike"), st.integers(0, 50)),
    st.tuples(
        st.just("amend"), st.integers(0, 50), st.text(min_size=1, max_size=20).filter(str.strip)
    ),
    st.tuples(st.just("impact"), st.floats(0, 100, allow_nan=False)),
    st.tuples(st.just("unimpact"), st.integers(0, 50)),
    st.tuples(
        st.just("review"), st.sampled_from(["primary_cause", "detection"]), st.text(max_size=40)
    ),
    st.tuples(st.just("item"), st.text(min_size=1, max_size=20).filter(str.strip)),
    st.tuples(st.just("other"), st.text(min_size=1, max_size=10).filter(str.strip)),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(_ACTIONS, max_size=25),
    minutes=st.lists(st.integers(0, 30), min_size=25, max_size=25),
)
def test_round_trip_property(tmp_path_factory, actions, minutes):
    base = tmp_path_factory.mktemp("prop")
    clock = FakeClock(T0)
    source = Workspace.open(base / "a", author="alice", clock=clock, zone=UTC)
    target = Workspace.open(base / "b", author="bert", clock=clock, zone=UTC)
    try:
        incident_id = _random_incident(source, clock, actions, minutes)
        _round_trip(source, target, incident_id, base)
        assert materialized_rows(target, incident_id) == materialized_rows(source, incident_id)
        assert reports_for(target).record(incident_id) == reports_for(source).record(incident_id)
        assert verify_workspace(target).ok
    finally:
        source.close()
        target.close()


def _random_incident(ws: Workspace, clock: FakeClock, actions, minutes) -> str:  # type: ignore[no-untyped-def]
    incidents = IncidentService(ws)
    roster = RosterService(ws)
    impact = ImpactService(ws)
    review = ReviewService(ws, hours=BusinessHours(zone=UTC))
    items = ActionItemService(ws)
    for handle in _PEOPLE:
        PeopleService(ws).save_person(Person(handle, handle.title(), "Team " + handle))
    roster.add_role("Scribe")
    other = incidents.declare(title="Other", severity="P3").incident.id
    iid = incidents.declare(title="Random", severity="P2", services=["api"]).incident.id
    entries: list[str] = []
    samples: list[str] = []
    for n, action in enumerate(actions):
        clock.advance(timedelta(minutes=minutes[n % len(minutes)]))
        kind = action[0]
        try:
            if kind == "log":
                entries.append(incidents.log(iid, action[1])[0].id)
            elif kind in ("severity", "status", "phase", "title"):
                incidents.set_field(iid, kind, action[1])
            elif kind == "assign":
                roster.assign(iid, action[1], action[2])
            elif kind == "release":
                roster.release(iid, action[1])
            elif kind == "strike" and entries:
                incidents.strike(entries[action[1] % len(entries)], "wrong")
            elif kind == "amend" and entries:
                incidents.amend(entries[action[1] % len(entries)], event=action[2])
            elif kind == "impact":
                impact.add(iid, "error_rate", action[1])
                samples = [s.id for s in impact.samples(iid)]
            elif kind == "unimpact" and samples:
                impact.strike(samples[action[1] % len(samples)], "bad sample")
            elif kind == "review":
                review.set_field(iid, action[1], action[2])
            elif kind == "item":
                items.add_action_item(iid, action[1], term="short", due=date(2027, 1, 1))
            elif kind == "other":
                incidents.log(other, action[1])
        except ValidationError:
            pass  # an action the rules refuse (e.g. releasing an unheld role) is fine to skip
    return iid


def test_an_op_cut_from_an_imported_chain_is_named(told, workspace, fresh, tmp_path):
    _round_trip(workspace, fresh, told.incident_id, tmp_path)
    with fresh.read() as conn:
        gaps = set(json.loads(oplog.read_meta(conn, GAPS_KEY) or "[]"))
        ids = [row[0] for row in conn.exec_driver_sql("SELECT op_id FROM op ORDER BY seq")]
    victim = next(a for a, b in itertools.pairwise(ids) if b not in gaps and a not in gaps)
    with fresh.write() as conn:
        conn.exec_driver_sql("DELETE FROM op WHERE op_id = ?", (victim,))
    report = verify_workspace(fresh, replay=False)
    assert report.breaks and report.breaks[0].reason.startswith("its prev_hash")
