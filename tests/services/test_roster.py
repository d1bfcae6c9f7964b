"""The roster store: assignments, handoffs, releases, custom roles and their replay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.errors import AmbiguousError, ValidationError
from commander.core.people import Person
from commander.services.people import PeopleService
from commander.services.roster import RosterService


@pytest.fixture
def roster(workspace) -> RosterService:
    people = PeopleService(workspace)
    people.save_person(Person("alice", "Alice Smith", roles=("incident_commander",)))
    people.save_person(Person("bob", "Bob Jones", phone="+1 555 0100"))
    people.save_person(Person("bea", "Beatrice Low"))
    return RosterService(workspace)


def test_handoff_keeps_the_old_holder_and_logs_the_change(roster, incidents, clock) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    first = roster.assign(incident.id, "IC", "alice")
    assert first.ic_changed and not first.assignment.is_handoff
    clock.advance(timedelta(minutes=42))
    second = roster.assign(incident.id, "incident commander", "@bob", "I have the bridge")
    assert second.assignment.previous == "alice" and second.assignment.note == "I have the bridge"
    history = roster.history(incident.id, "IC")
    assert [a.person for a in history] == ["alice", "bob"]
    at_1030 = roster.holder_at(incident.id, "IC", clock.now() - timedelta(minutes=1))
    assert at_1030.person == "alice"
    assert roster.roster(incident.id).line("incident_commander").holder.person == "bob"
    events = [e.event for e in incidents.timeline(incident.id)]
    assert "Incident Commander: unassigned → Alice Smith" in events
    assert "Incident Commander: Alice Smith → Bob Jones" in events
    roster.release(incident.id, "IC")
    assert roster.roster(incident.id).missing_ic
    assert "Incident Commander: Bob Jones → unassigned" in [
        e.event for e in incidents.timeline(incident.id)
    ]


def test_missing_roles_follow_severity_and_the_security_flag(roster, incidents) -> None:
    incident = incidents.declare(title="Odd logins", severity="P2").incident
    assert [r.key for r in roster.roster(incident.id).missing] == ["incident_commander"]
    incidents.set_field(incident.id, "security_related", "yes")
    missing = [r.key for r in roster.roster(incident.id).missing]
    assert missing == ["incident_commander", "security_lead"]
    proposal = roster.proposal(incident.id)
    assert [r.key for r in proposal.missing] == missing
    assert [p.handle for p in proposal.items[0].candidates] == ["alice"]


def test_bad_input_is_refused_clearly(roster, incidents) -> None:
    incident = incidents.declare(title="x", severity="P2").incident
    with pytest.raises(ValidationError, match="Unknown role"):
        roster.assign(incident.id, "chef", "alice")
    with pytest.raises(ValidationError, match="may use only letters"):
        roster.assign(incident.id, "IC", "@not a handle")
    with pytest.raises(ValidationError, match="Name a person"):
        roster.assign(incident.id, "IC", "  ")
    with pytest.raises(AmbiguousError, match="matches 2 people"):
        roster.assign(incident.id, "IC", "b")
    roster.assign(incident.id, "IC", "alice")
    with pytest.raises(ValidationError, match="already Incident Commander"):
        roster.assign(incident.id, "IC", "alice")
    with pytest.raises(ValidationError, match="No one holds"):
        roster.release(incident.id, "dba")


def test_exclusive_role_elsewhere_is_warned_but_allowed(roster, incidents) -> None:
    one = incidents.declare(title="one", severity="P1").incident
    two = incidents.declare(title="two", severity="P2").incident
    roster.assign(one.id, "IC", "alice")
    result = roster.assign(two.id, "IC", "alice")
    assert any(one.ref in w for w in result.warnings)
    assert roster.roster(two.id).line("incident_commander").holder.person == "alice"
    incidents.set_field(one.id, "status", "resolved")
    three = incidents.declare(title="three", severity="P2").incident
    warnings = roster.assign(three.id, "IC", "alice").warnings
    assert [w for w in warnings if one.ref in w] == []  # resolved: no longer counts
    assert [w for w in warnings if two.ref in w] != []


def test_custom_roles_and_extended_roles_in_use(roster, incidents) -> None:
    incident = incidents.declare(title="x", severity="P2").incident
    scribe = roster.add_role("Scribe", "Keeps the timeline")
    with pytest.raises(ValidationError, match="exists already"):
        roster.add_role("scribe")
    roster.assign(incident.id, "scribe", "bea")
    roster.assign(incident.id, "dba", "bob")
    names = [line.role.name for line in roster.roster(incident.id).lines]
    assert names[:4] == [
        "Incident Commander",
        "Technical Lead",
        "Communications Lead",
        "Security Lead",
    ]
    assert "Database Administrator" in names and "Scribe" in names
    assert "Network Engineer" not in names
    roster.remove_role(scribe.key)
    assert "Scribe" in [line.role.name for line in roster.roster(incident.id).lines]  # history
    assert "scribe" not in [r.key for r in roster.roles()]


def test_verify_replays_roster_tables(roster, incidents, workspace) -> None:
    from commander.services.verify import verify_workspace

    incident = incidents.declare(title="x", severity="P2").incident
    roster.assign(incident.id, "IC", "alice")
    roster.add_role("Scribe")
    assert verify_workspace(workspace).mismatch_count == 0
    with workspace.write() as conn:
        conn.exec_driver_sql("UPDATE person SET phone = '666' WHERE handle = 'bob'")
    report = verify_workspace(workspace)
    assert report.mismatch_count == 1 and report.mismatches[0].table == "person"
