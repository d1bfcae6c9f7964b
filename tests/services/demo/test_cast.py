"""The demo's cast and data agree with each other and with the procedure's roles."""

from __future__ import annotations

from commander.services.demo.cast import (
    CERTS,
    COMMS,
    CUSTOMERS_CURVE,
    DEMO_PEOPLE,
    ERROR_CURVE,
    IC,
    SRE,
    TECH,
)
from commander.services.people import PeopleService


def test_each_curve_runs_forward_in_time_from_the_first_alert() -> None:
    for curve in (CUSTOMERS_CURVE, ERROR_CURVE):
        minutes = [minute for minute, _value in curve]
        assert minutes[0] == 0 and minutes == sorted(set(minutes))
        assert all(0 <= value <= 100 for _minute, value in curve)  # percentages


def test_every_speaker_is_a_person_of_the_cast() -> None:
    names = {person.name for person in DEMO_PEOPLE}
    for speaker in (IC, TECH, COMMS, CERTS, SRE):
        assert speaker.split(" (")[0] in names
    assert len({person.handle for person in DEMO_PEOPLE}) == len(DEMO_PEOPLE)


def test_the_cast_can_be_saved_as_people(workspace) -> None:
    people = PeopleService(workspace)
    for person in DEMO_PEOPLE:
        people.save_person(person)
    assert sorted(p.handle for p in people.people()) == sorted(p.handle for p in DEMO_PEOPLE)
