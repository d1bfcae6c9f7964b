"""The demo story as told into a workspace: its title, cast, severity change and minutes."""

from __future__ import annotations

from datetime import timedelta

from commander.core.policy import Severity
from commander.services.demo.cast import DEMO_PEOPLE
from commander.services.demo.create import create_demo
from commander.services.demo.story import DEMO_INCIDENT_ID, DEMO_TITLE, STORY_MINUTES
from commander.services.people import PeopleService


def test_the_story_declares_the_p1_and_adds_its_cast(workspace, incidents, clock) -> None:
    incident = create_demo(workspace).incident
    assert (incident.id, incident.title, incident.severity) == (
        DEMO_INCIDENT_ID,
        DEMO_TITLE,
        Severity.P1,  # declared P2, raised at minute 8
    )
    handles = {p.handle for p in PeopleService(workspace).people()}
    assert {p.handle for p in DEMO_PEOPLE} <= handles
    timeline = incidents.timeline(incident.id)
    first = timeline[0]
    assert first.event.startswith("Alert fired: CertificateExpired for api.example.com")
    assert first.occurred_at == clock.now() - timedelta(minutes=STORY_MINUTES)
    assert any(e.event.startswith("Severity assessed:") for e in timeline)


def test_the_story_keeps_a_person_already_known(workspace, incidents) -> None:
    people = PeopleService(workspace)
    dana = DEMO_PEOPLE[0]
    people.save_person(dana)
    create_demo(workspace)
    assert [p.handle for p in people.people()].count(dana.handle) == 1
