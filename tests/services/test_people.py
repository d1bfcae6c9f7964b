"""The people directory: lookup by handle or name, CSV import and export, removal."""

from __future__ import annotations

import pytest

from commander.core.errors import AmbiguousError, NotFoundError, ValidationError
from commander.core.people import Person
from commander.services.people import PeopleService
from commander.services.roster import RosterService


@pytest.fixture
def people(workspace) -> PeopleService:
    service = PeopleService(workspace)
    service.save_person(Person("alice", "Alice Smith", roles=("incident_commander",)))
    service.save_person(Person("bob", "Bob Jones", phone="+1 555 0100"))
    service.save_person(Person("bea", "Beatrice Low"))
    return service


def test_find_person_by_handle_name_or_a_unique_start(people) -> None:
    assert people.find_person("@bob").handle == "bob"
    assert people.find_person("Alice Smith").handle == "alice"
    assert people.find_person("beat").handle == "bea"
    assert people.find_person("low").handle == "bea"  # any word of the name
    with pytest.raises(AmbiguousError, match="matches 2 people"):
        people.find_person("b")
    with pytest.raises(NotFoundError, match="No one in the people directory matches 'zed'"):
        people.find_person("zed")
    with pytest.raises(ValidationError, match="Name a person"):
        people.find_person("  ")


def test_save_writes_only_changed_fields_and_checks_roles(people, workspace) -> None:
    with workspace.read() as conn:
        before = conn.exec_driver_sql("SELECT COUNT(*) FROM op").scalar()
    changes = people.save_person(Person("bob", "Bob Jones", phone="+1 555 0199"))
    assert not changes  # people are workspace-wide: no incident view to refresh
    with workspace.read() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM op").scalar() == before + 1
    assert people.person("@BOB").phone == "+1 555 0199"
    people.save_person(Person("carl", "Carl Ray", roles=("IC", "dba", "ic")))
    assert people.person("carl").roles == ("incident_commander", "database_administrator")
    with pytest.raises(ValidationError, match="Unknown role"):
        people.save_person(Person("dee", "Dee", roles=("Juggler",)))
    assert [p.handle for p in people.people()] == ["alice", "bea", "bob", "carl"]


def test_import_reports_skipped_rows_and_updates_known_handles(people) -> None:
    data = (
        b"name,handle,team,email,phone,roles\n"
        b"Alice Smith,alice,SRE,alice@example.com,,IC\n"
        b"Carl,carl,,not-an-email,,\n"
        b"Dee,dee,,,,Juggler\n"
        b"Eve,eve,,,,dba\n"
        b"Eva,EVE,,,,\n"
    )
    result = people.import_csv(data)
    assert result.created == ["eve"] and result.updated == ["alice"]
    assert [line for line, _ in result.skipped] == [3, 4, 6]
    assert "line 4: Unknown role 'Juggler'" in result.summary()
    assert people.person("alice").team == "SRE"
    again = people.import_csv(data)
    assert again.unchanged == ["alice", "eve"] and not again.created
    exported = people.export_csv()
    assert "Eve,eve,,,,Database Administrator" in exported


def test_removed_people_keep_their_history(people, incidents, workspace) -> None:
    incident = incidents.declare(title="x", severity="P2").incident
    roster = RosterService(workspace)
    roster.assign(incident.id, "IC", "alice")
    people.remove_person("alice")
    with pytest.raises(NotFoundError):
        people.person("alice")
    assert roster.history(incident.id)[0].person_name == "Alice Smith"


def test_export_names_a_retired_custom_role(people, workspace) -> None:
    roster = RosterService(workspace)
    scribe = roster.add_role("Scribe")
    people.save_person(Person("sam", "Sam Hill", roles=("Scribe",)))
    roster.remove_role(scribe.key)
    assert "scribe" not in [r.key for r in roster.roles()]
    assert "Sam Hill,sam,,,,Scribe" in people.export_csv()
