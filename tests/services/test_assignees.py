"""Assigning a role to anyone typed: new people are added on the fly, "me" is the identity."""

from __future__ import annotations

import pytest

from commander.config import Identity, save_identity
from commander.core.assignees import handle_for, new_person
from commander.core.errors import ValidationError
from commander.core.people import Person
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace


@pytest.fixture
def people(workspace: Workspace) -> PeopleService:
    service = PeopleService(workspace)
    service.save_person(Person("kim.lee", "Kimberly Lee"))
    return service


def test_a_name_nobody_knows_is_added_with_the_assignment(people, incidents) -> None:
    incident = incidents.declare(title="API down", severity="P0").incident
    roster = RosterService(people.workspace)
    result = roster.assign(incident.id, "IC", "Kim Lee")
    assert result.added == Person("kim.lee2", "Kim Lee")  # kim.lee is someone else
    assert "added to the people directory" in result.added_text
    assert people.person("kim.lee2").name == "Kim Lee"
    tech = roster.assign(incident.id, "Technical Lead", "@sam")
    assert tech.added is not None and people.person("sam").name == "sam"
    again = roster.assign(incident.id, "Communications Lead", "Kim Lee")
    assert again.added is None and again.assignment.person == "kim.lee2"  # found now
    ic = roster.roster(incident.id).line("incident_commander")
    assert ic is not None and ic.holder is not None
    assert ic.holder.holder_text() == "Kim Lee (@kim.lee2)"


def test_a_refused_assignment_adds_nobody(people, incidents) -> None:
    incident = incidents.declare(title="API down", severity="P0").incident
    roster = RosterService(people.workspace)
    with pytest.raises(ValidationError, match="Unknown role"):
        roster.assign(incident.id, "chef", "Pat Doe")
    assert [p.handle for p in people.people()] == ["kim.lee"]


def test_me_is_the_identity_found_or_added(workspace, people, incidents) -> None:
    incident = incidents.declare(title="API down", severity="P0").incident
    roster = RosterService(workspace)
    save_identity(workspace.data_dir, Identity(name="Alice Smith", handle="alice"))
    result = roster.assign(incident.id, "IC", "me")  # the workspace writes as "alice"
    assert result.added == Person("alice", "Alice Smith")
    workspace.author = "Kimberly Lee"  # no handle: found by name
    second = roster.assign(incident.id, "Technical Lead", "ME")
    assert second.added is None and second.assignment.person == "kim.lee"


def test_handles_derived_from_names() -> None:
    assert handle_for("Zoë  O'Brien-Smith") == "zoe.o.brien.smith"
    assert handle_for("李雷") == "person"
    assert handle_for("Kim", taken={"kim", "kim2"}) == "kim3"
    assert len(handle_for("x" * 60, taken={"x" * 40})) == 40
    with pytest.raises(ValidationError, match="taken"):
        new_person("@kim", taken={"kim"})
