"""The post-incident review as an iCalendar (RFC 5545) invitation.

Built with the ``icalendar`` library, which handles CRLF line endings, folding at 75 octets and
escaping. The UID is stable per incident (``review-<incident id>@commander``) and SEQUENCE
counts reschedules, so a calendar that already holds the invitation updates it instead of adding
a second meeting. Organizer: the incident commander; attendees: everyone who held a role in
the incident, when the people directory has their email (nobody is invented).

The description links the incident report by the file name the report exporter writes,
``<reference>-report.html``; with a report base URL (``--report-url`` or ``review_report_url`` in
``settings.json``) it is the full address ``<base>/<reference>-report.html``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from commander.core.errors import ValidationError
from commander.core.review import REVIEW_SECTIONS
from commander.core.review_metrics import format_duration
from commander.core.roles import INCIDENT_COMMANDER
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.roster import RosterService

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from commander.services.workspace import Workspace

REPORT_URL_SETTING = "review_report_url"


def report_file_name(ref: str) -> str:
    """The incident report's file name, as the report exporter names it."""
    return f"{ref}-report.html"


def report_link(ref: str, base_url: str | None) -> str:
    """``INC-...-report.html``, or ``<base>/INC-...-report.html`` with a base URL."""
    name = report_file_name(ref)
    if not base_url or not base_url.strip():
        return name
    base = base_url.strip()
    if not base.lower().startswith(("https://", "http://", "file://")):
        raise ValidationError("A report URL must start with https://, http:// or file://.")
    return f"{base.rstrip('/')}/{name}"


def configured_report_url(data_dir: Path) -> str | None:
    """The ``review_report_url`` of the workspace's ``settings.json``, if any."""
    from commander.config import SETTINGS_FILENAME

    path = Path(data_dir) / SETTINGS_FILENAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = raw.get(REPORT_URL_SETTING) if isinstance(raw, dict) else None
    return str(value).strip() or None if value else None


def build_invitation(
    ws: Workspace,
    incident_id: str,
    *,
    start: datetime,
    end: datetime,
    sequence: int,
    duration: timedelta | None,
    report_url: str | None,
) -> bytes:
    """The invitation's bytes (``text/calendar``, UTF-8, CRLF).

    Takes the schedule's values rather than the review service, so this module depends only on
    the services below it and ``services.review`` is the one that calls in."""
    from icalendar import Calendar, Event, vCalAddress, vText

    incident = IncidentService(ws).get(incident_id)
    base = report_url if report_url is not None else configured_report_url(ws.data_dir)
    link = report_link(incident.ref, base)

    agenda = next(fields for title, fields in REVIEW_SECTIONS if title == "Review Agenda")
    lines = [
        f"Post-incident review of {incident.ref} ({incident.severity.value}): {incident.title}",
        f"Duration: {format_duration(duration)}",
        f"Services affected: {', '.join(incident.services) or 'none recorded'}",
        "",
        "Agenda:",
        *(f"{n}. {label}" for n, (_, label) in enumerate(agenda, start=1)),
        "",
        f"Incident report: {link}",
    ]

    calendar = Calendar()
    calendar.add("prodid", "-//Commander//Post-incident review//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"review-{incident_id}@commander")
    event.add("dtstamp", ws.clock.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", sequence)
    event.add("summary", f"Post-incident review: {incident.ref} {incident.title}")
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    if link.lower().startswith(("https://", "http://")):
        event.add("url", link)

    organizer, attendees = _people(ws, incident_id)
    if organizer is not None:
        address = vCalAddress(f"mailto:{organizer[1]}")
        address.params["cn"] = vText(organizer[0])
        event["organizer"] = address
    for name, email in attendees:
        address = vCalAddress(f"mailto:{email}")
        address.params["cn"] = vText(name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=False)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def _people(
    ws: Workspace, incident_id: str
) -> tuple[tuple[str, str] | None, list[tuple[str, str]]]:
    """(organizer, attendees) as (name, email): role holders whose email is on file."""
    history = RosterService(ws).history(incident_id)
    emails = {p.handle: p for p in PeopleService(ws).people(include_removed=True) if p.email}
    seen: dict[str, tuple[str, str]] = {}
    commander: str | None = None
    for assignment in history:
        handle = assignment.person
        if handle is None:
            continue
        if assignment.role == INCIDENT_COMMANDER:
            commander = handle  # the latest commander organizes
        if handle in emails:
            person = emails[handle]
            seen.setdefault(handle, (person.name or handle, person.email))
    organizer = seen.get(commander) if commander else None
    attendees = [value for handle, value in seen.items() if handle != commander]
    return organizer, attendees


__all__ = ["build_invitation", "configured_report_url", "report_file_name", "report_link"]
