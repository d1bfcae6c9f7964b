"""The review invitation's parts: the report's file name and link, the configured report
location, and the calendar built from the roster with the settings' link."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from commander.config import SETTINGS_FILENAME
from commander.core.errors import ValidationError
from commander.core.people import Person
from commander.services.people import PeopleService
from commander.services.review_invite import (
    build_invitation,
    configured_report_url,
    report_file_name,
    report_link,
)
from commander.services.roster import RosterService


def test_the_link_is_the_file_name_or_under_the_base() -> None:
    assert report_file_name("INC-1") == "INC-1-report.html"
    assert report_link("INC-1", None) == "INC-1-report.html"
    assert report_link("INC-1", "   ") == "INC-1-report.html"
    assert report_link("INC-1", " https://wiki.example/r// ") == (
        "https://wiki.example/r/INC-1-report.html"
    )
    assert report_link("INC-1", "FILE:///srv/r") == "FILE:///srv/r/INC-1-report.html"
    with pytest.raises(ValidationError, match=r"^A report URL must start with https://"):
        report_link("INC-1", "ftp://wiki.example")


def test_the_configured_location_is_read_from_settings(tmp_path) -> None:
    settings = tmp_path / SETTINGS_FILENAME
    assert configured_report_url(tmp_path) is None  # no file
    settings.write_text("{not json", "utf-8")
    assert configured_report_url(tmp_path) is None
    settings.write_text(json.dumps(["a list"]), "utf-8")
    assert configured_report_url(tmp_path) is None
    settings.write_text(json.dumps({"review_report_url": "   "}), "utf-8")
    assert configured_report_url(tmp_path) is None
    settings.write_text(json.dumps({"review_report_url": " https://wiki.example/ "}), "utf-8")
    assert configured_report_url(tmp_path) == "https://wiki.example/"


def test_the_invitation_takes_the_settings_link_and_the_roster(workspace, incidents) -> None:
    incident = incidents.declare(title="API down", severity="P1", services="api").incident
    people = PeopleService(workspace)
    people.save_person(Person("alice", "Alice Smith", email="alice@example.com"))
    people.save_person(Person("bob", "Bob Jones", email="bob@example.com"))
    roster = RosterService(workspace)
    roster.assign(incident.id, "IC", "alice")
    roster.assign(incident.id, "tech lead", "bob")
    roster.assign(incident.id, "IC", "bob")  # the latest commander organizes
    (workspace.data_dir / SETTINGS_FILENAME).write_text(
        json.dumps({"review_report_url": "https://wiki.example/reports"}), "utf-8"
    )
    start = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    raw = build_invitation(
        workspace,
        incident.id,
        start=start,
        end=start + timedelta(hours=1),
        sequence=2,
        duration=timedelta(minutes=90),
        report_url=None,
    )
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["uid"]) == f"review-{incident.id}@commander" and event["sequence"] == 2
    assert str(event["summary"]) == f"Post-incident review: {incident.ref} API down"
    link = f"https://wiki.example/reports/{incident.ref}-report.html"
    assert str(event["url"]) == link
    description = str(event["description"])
    assert f"Incident report: {link}" in description and "Services affected: api" in description
    assert str(event["organizer"]) == "mailto:bob@example.com"
    assert str(event["attendee"]) == "mailto:alice@example.com"


def test_a_file_name_link_is_no_url_and_nobody_without_email_is_invited(
    workspace, incidents
) -> None:
    incident = incidents.declare(title="API down", severity="P2").incident
    RosterService(workspace).assign(incident.id, "IC", "alice")  # alice has no email on file
    start = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    raw = build_invitation(
        workspace,
        incident.id,
        start=start,
        end=start + timedelta(minutes=30),
        sequence=0,
        duration=None,
        report_url="",
    )
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert "url" not in event and "organizer" not in event and "attendee" not in event
    assert f"Incident report: {incident.ref}-report.html" in str(event["description"])
    assert "Services affected: none recorded" in str(event["description"])
