"""Declaring and working an incident through the service, as the GUI and CLI do."""

from datetime import timedelta

import pytest

from commander.core.errors import AmbiguousError, NotFoundError, ValidationError
from commander.core.policy import Phase, Severity, Status


def test_declare_makes_the_record_and_the_first_entry(incidents, clock) -> None:
    declared = incidents.declare(
        title="  Customer API down ", severity="p0", services="api, gateway", impact="All customers"
    )
    incident = declared.incident
    assert incident.title == "Customer API down"
    assert incident.severity is Severity.P0
    assert incident.status is Status.INVESTIGATING
    assert incident.phase is Phase.DETECTION
    assert incident.services == ("api", "gateway")
    assert incident.declared_at == clock.now()
    assert incident.ref.startswith("INC-20261128-")
    (first,) = incidents.timeline(incident.id)
    assert first.kind == "system"
    assert "P0 Critical" in first.event
    assert "immediate executive notification" in first.action
    assert declared.changes.incident_ids == {incident.id}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": "", "severity": "P1"}, "Title must not be empty"),
        ({"title": "x", "severity": "P9"}, "Unknown severity"),
        ({"title": "bad\x1b[31m", "severity": "P1"}, "control character"),
        ({"title": "t" * 201, "severity": "P1"}, "limit is 200"),
    ],
)
def test_declare_refuses_bad_input_and_stores_nothing(incidents, kwargs, message) -> None:
    with pytest.raises(ValidationError, match=message):
        incidents.declare(**kwargs)
    assert incidents.list() == []


def test_references_are_unique(incidents) -> None:
    refs = {incidents.declare(title=f"i{n}", severity="P3").incident.ref for n in range(50)}
    assert len(refs) == 50


def test_severity_status_and_phase_changes_are_logged_with_who(incidents, clock) -> None:
    incident = incidents.declare(title="DB slow", severity="P2").incident
    clock.advance(60)
    incidents.set_field(incident.id, "severity", "P0")
    incidents.set_field(incident.id, "status", "identified")
    incidents.set_field(incident.id, "phase", "containment/mitigation")
    updated = incidents.get(incident.id)
    assert (updated.severity, updated.status, updated.phase) == (
        Severity.P0,
        Status.IDENTIFIED,
        Phase.CONTAINMENT,
    )
    events = [(e.event, e.owner, e.kind) for e in incidents.timeline(incident.id)[1:]]
    assert events == [
        ("Severity changed P2 → P0 (Critical)", "alice", "system"),
        ("Status changed: Investigating → Identified", "alice", "system"),
        (
            "Phase changed: Detection & initial response → Containment & mitigation",
            "alice",
            "system",
        ),
    ]


def test_setting_the_same_value_logs_nothing(incidents) -> None:
    incident = incidents.declare(title="Same", severity="P2").incident
    assert not incidents.set_field(incident.id, "severity", "p2")
    assert len(incidents.timeline(incident.id)) == 1


def test_set_field_refuses_unknown_fields_and_values(incidents) -> None:
    incident = incidents.declare(title="x", severity="P2").incident
    with pytest.raises(ValidationError, match="Unknown field"):
        incidents.set_field(incident.id, "owner", "bob")
    with pytest.raises(ValidationError, match="Unknown status"):
        incidents.set_field(incident.id, "status", "done")


def test_log_orders_by_occurred_time_then_stamp(incidents, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    clock.advance(600)
    late, _ = incidents.log(incident.id, "second", owner="@bob")
    incidents.log(incident.id, "first", occurred_at=clock.now() - timedelta(minutes=5))
    order = [e.event for e in incidents.timeline(incident.id)]
    assert order[1:] == ["first", "second"]
    assert late.owner == "bob"


def test_quick_entry_goes_through_the_same_rules(incidents, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    entry, changes = incidents.log_quick(
        incident.id, "09:58 Alert fired @carol", action="Investigation started"
    )
    assert (entry.event, entry.owner, entry.action) == (
        "Alert fired",
        "carol",
        "Investigation started",
    )
    assert entry.occurred_at.hour == 9 and entry.occurred_at.minute == 58
    assert changes.entry_ids == {incident.id: {entry.id}}


def test_future_and_empty_entries_are_refused(incidents, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    with pytest.raises(ValidationError, match="future"):
        incidents.log(incident.id, "from the future", occurred_at=clock.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="must not be empty"):
        incidents.log(incident.id, "   ")
    with pytest.raises(ValidationError, match="1,048,576"):
        incidents.log(incident.id, "x" * 1_048_576)
    assert len(incidents.timeline(incident.id)) == 1


def test_strike_and_amend_keep_the_original(incidents) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    entry, _ = incidents.log(incident.id, "Restarted pods", action="kubectl delete pod")
    incidents.amend(entry.id, event="Restarted api pods")
    other, _ = incidents.log(incident.id, "Wrong incident")
    incidents.strike(other.id, "logged on the wrong incident")
    rows = {e.id: e for e in incidents.timeline(incident.id)}
    assert rows[entry.id].event == "Restarted pods"
    assert rows[entry.id].amended_event == "Restarted api pods"
    assert rows[entry.id].amended_action == "kubectl delete pod"
    assert rows[other.id].struck and rows[other.id].strike_reason == "logged on the wrong incident"
    with pytest.raises(ValidationError, match="Reason must not be empty"):
        incidents.strike(entry.id, "")
    with pytest.raises(NotFoundError):
        incidents.strike("no-such-entry", "x")


def test_resolve_by_id_reference_or_unique_prefix(incidents) -> None:
    a = incidents.declare(title="a", severity="P1").incident
    b = incidents.declare(title="b", severity="P1").incident
    assert incidents.resolve(a.id) == a
    assert incidents.resolve(b.ref.lower()) == b
    assert incidents.resolve(a.ref[:-1]) == a  # 30 random bits: the refs differ early
    with pytest.raises(AmbiguousError, match="matches 2 incidents"):
        incidents.resolve("INC-")
    with pytest.raises(NotFoundError):
        incidents.resolve("INC-1999")
    with pytest.raises(NotFoundError):
        incidents.log("missing", "x")


def test_changes_since_reports_what_other_writers_did(incidents) -> None:
    seq = incidents.last_seq()
    incident = incidents.declare(title="x", severity="P1").incident
    entry, _ = incidents.log(incident.id, "note")
    changes = incidents.changes_since(seq)
    assert changes.incident_ids == {incident.id}
    assert entry.id in changes.entry_ids[incident.id]
    assert changes.last_seq == incidents.last_seq()
    assert not incidents.changes_since(changes.last_seq)


def test_everything_is_there_after_reopening(data_dir, clock) -> None:
    from datetime import UTC

    from commander.services.incidents import IncidentService
    from commander.services.workspace import Workspace

    ws = Workspace.open(data_dir, author="alice", clock=clock, zone=UTC)
    service = IncidentService(ws)
    incident = service.declare(title="Persist", severity="P1").incident
    service.log(incident.id, "kept")
    ws.close()
    ws = Workspace.open(data_dir, author="bob", clock=clock, zone=UTC)
    service = IncidentService(ws)
    assert [i.ref for i in service.list()] == [incident.ref]
    assert [e.event for e in service.timeline(incident.id)][-1] == "kept"
    ws.close()


def test_timeline_loads_in_two_steps_that_join_up(incidents, clock) -> None:
    incident = incidents.declare(title="x", severity="P1").incident
    for n in range(30):
        clock.advance(1)
        incidents.log(incident.id, f"e{n}")
    incidents.log(incident.id, "same ms as e29")  # ties are broken by the HLC
    full = incidents.timeline(incident.id)
    newest = incidents.timeline(incident.id, last=10)
    rest = incidents.timeline(incident.id, before=newest[0].sort_key)
    assert rest + newest == full
    assert [e.event for e in newest][-2:] == ["e29", "same ms as e29"]
