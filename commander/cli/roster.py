"""Commands on the response team: ``role`` (assign, release, list, history, at, team, add),
``people`` (list, add, remove, import, export) and ``briefing`` (Markdown for the incoming IC)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    read_input,
    with_workspace,
)
from commander.cli.deadlines import deadline_service
from commander.cli.output import one_line, print_json, print_text, render_table, safe
from commander.cli.severity_text import names_of
from commander.core.clock import iso, parse_iso
from commander.core.errors import ValidationError
from commander.core.limits import CSV_FILE_MAX
from commander.core.people import Person
from commander.core.roles import Assignment
from commander.services.briefing import BriefingService
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    role = command("role", _role_help, "assign, hand off and list the response team's roles")
    actions = role.add_subparsers(title="role actions", metavar="ACTION")
    assign = command("assign", _assign, "give a role to a person (a handoff if held)", actions)
    add_incident_arg(assign)
    assign.add_argument("role", metavar="ROLE", help="e.g. IC, 'Technical Lead', dba, scribe")
    assign.add_argument(
        "person",
        metavar="PERSON",
        help="handle (@alice), name, or 'me'; someone new is added to the people directory",
    )
    assign.add_argument("--note", default="", help="handoff note for the timeline")
    add_json(assign)
    release = command("release", _release, "relieve a role's holder without successor", actions)
    add_incident_arg(release)
    release.add_argument("role", metavar="ROLE")
    release.add_argument("--note", default="")
    add_json(release)
    listing = command("list", _list, "current holders and the history of every role", actions)
    add_incident_arg(listing)
    add_json(listing)
    at = command("at", _at, "who held a role at a time ('who was IC at 10:42?')", actions)
    add_incident_arg(at)
    at.add_argument("role", metavar="ROLE")
    at.add_argument("time", metavar="TIME", help="ISO-8601, or HH:MM today in your zone")
    add_json(at)
    team = command("team", _team, "form the response team: what the severity needs", actions)
    add_incident_arg(team)
    add_json(team)
    add = command("add", _add_role, "add a custom role (e.g. Scribe)", actions)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--description", default="")
    roles = command("roles", _roles, "list every role: procedure and custom", actions)
    add_json(roles)

    people = command("people", _people_help, "the people directory")
    p_actions = people.add_subparsers(title="people actions", metavar="ACTION")
    p_list = command("list", _people_list, "everyone in the directory", p_actions)
    add_json(p_list)
    p_add = command("add", _people_add, "add a person or change their details", p_actions)
    p_add.add_argument("handle", metavar="HANDLE")
    p_add.add_argument("--name", required=True)
    p_add.add_argument("--team", default="")
    p_add.add_argument("--email", default="")
    p_add.add_argument("--phone", default="")
    p_add.add_argument("--roles", default="", help="roles they can take, ';'-separated")
    p_remove = command("remove", _people_remove, "take a person out of the directory", p_actions)
    p_remove.add_argument("handle", metavar="HANDLE")
    p_import = command("import", _people_import, "import people from a CSV file", p_actions)
    p_import.add_argument("file", metavar="FILE.csv")
    add_json(p_import)
    p_export = command("export", _people_export, "write the directory as CSV", p_actions)
    p_export.add_argument("file", metavar="FILE.csv", nargs="?", help="default: stdout")

    briefing = command("briefing", _briefing, "the handoff briefing for the incoming IC")
    add_incident_arg(briefing)
    briefing.add_argument(
        "--no-log", action="store_true", help="do not record on the timeline that it was made"
    )


def _role_help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'role assign', 'release', 'list', 'at', 'team', 'add' or 'roles'."
    )


def _people_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'people list', 'add', 'remove', 'import' or 'export'.")


@with_workspace
def _assign(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    result = RosterService(ws).assign(incident.id, args.role, args.person, args.note)
    for warning in result.warnings:
        print(f"commander: warning: {warning}", file=sys.stderr)
    if result.added is not None and not args.json:
        print(f"commander: {safe(result.added_text)}", file=sys.stderr)
    if args.json:
        added = result.added.to_json() if result.added is not None else None
        print_json({**result.assignment.to_json(), "warnings": result.warnings, "added": added})
    else:
        a = result.assignment
        verb = f"handed over from {a.previous_text()}" if a.is_handoff else "assigned"
        print_text(safe(f"{incident.ref}: {a.holder_text()} is now {_role(a)} ({verb})"))
    return 0


@with_workspace
def _release(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    result = RosterService(ws).release(incident.id, args.role, args.note)
    if args.json:
        print_json(result.assignment.to_json())
    else:
        print_text(safe(f"{incident.ref}: {result.assignment.previous_text()} relieved"))
    return 0


def _role(a: Assignment) -> str:
    return a.role.replace("_", " ").title()


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    roster = RosterService(ws).roster(incident.id)
    zone = ws.zone
    if args.json:
        print_json(roster.to_json())
        return 0
    rows = []
    for line in roster.lines:
        held = line.holder if line.assigned else None
        rows.append(
            [
                line.role.name,
                held.holder_text() if held else ("UNASSIGNED (required)" if line.required else "—"),
                held.at.astimezone(zone).strftime("%H:%M") if held else "",
            ]
        )
    severity = names_of(ws).key(incident.severity)
    print_text(safe(f"{incident.ref}  {severity}  {incident.status.label}"))
    print_text(safe(render_table(["ROLE", "HOLDER", "SINCE"], rows)))
    if roster.missing:
        print_text(f"Missing: {', '.join(r.name for r in roster.missing)}")
    for group in roster.conflicts:
        names = ", ".join(a.holder_text() for a in group)
        print_text(safe(f"Concurrent handoff of {_role(group[0])}: {names}"))
    if roster.history:
        print_text("")
        print_text("History:")
        for a in roster.history:
            when = a.at.astimezone(zone).strftime("%m-%d %H:%M")
            mark = " (concurrent, superseded)" if a.superseded else ""
            note = f" — {a.note}" if a.note else ""
            text = f"  {when}  {_role(a)}: {a.previous_text()} → {a.holder_text()}"
            print_text(safe(f"{text}  by {a.by}{mark}{note}"))
    return 0


@with_workspace
def _at(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    when = _parse_time(args.time, ws)
    service = RosterService(ws)
    role = service.role(args.role)
    held = service.holder_at(incident.id, role.key, when)
    if args.json:
        print_json({"role": role.key, "at": iso(when), "holder": held.to_json() if held else None})
    else:
        who = held.holder_text() if held else "nobody"
        print_text(safe(f"{role.name} at {args.time}: {who}"))
    return 0


def _parse_time(text: str, ws: Workspace) -> datetime:
    """``HH:MM`` today in the user's zone (to the end of that minute), or ISO-8601."""
    value = text.strip()
    try:
        if len(value) <= 5 and ":" in value:
            hour, minute = (int(part) for part in value.split(":"))
            local = ws.clock.now().astimezone(ws.zone)
            return local.replace(hour=hour, minute=minute, second=59, microsecond=999000)
        return parse_iso(value)
    except ValueError:
        raise ValidationError(f"{text!r} is not a time: use HH:MM or ISO-8601.") from None


@with_workspace
def _team(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    proposal = RosterService(ws).proposal(incident.id)
    if args.json:
        print_json(proposal.to_json())
        return 0
    print_text(f"Form response team for {incident.ref} ({names_of(ws).key(incident.severity)}):")
    for item in proposal.items:
        line = item.line
        if line.assigned and line.holder is not None:
            state = f"✓ {line.holder.holder_text()}"
        else:
            names = ", ".join(p.label for p in item.candidates[:3]) or "nobody listed"
            state = f"MISSING — candidates: {names}"
        print_text(safe(f"  {line.role.name}: {state}"))
    return 0


@with_workspace
def _add_role(args: argparse.Namespace, ws: Workspace) -> int:
    role = RosterService(ws).add_role(args.name, args.description)
    print_text(safe(f"role added: {role.name} ({role.key})"))
    return 0


@with_workspace
def _roles(args: argparse.Namespace, ws: Workspace) -> int:
    roles = RosterService(ws).roles()
    if args.json:
        print_json([r.to_json() for r in roles])
    else:
        rows = [[r.name, r.key, r.kind.value, r.description] for r in roles]
        print_text(safe(render_table(["ROLE", "KEY", "KIND", "DESCRIPTION"], rows)))
    return 0


@with_workspace
def _people_list(args: argparse.Namespace, ws: Workspace) -> int:
    people = PeopleService(ws).people()
    names = {r.key: r.name for r in RosterService(ws).roles()}
    if args.json:
        print_json([p.to_json() for p in people])
        return 0
    rows = [
        [
            p.name,
            "@" + p.handle,
            p.team,
            p.email,
            p.phone,
            ", ".join(names.get(r, r) for r in p.roles),
        ]
        for p in people
    ]
    print_text(safe(render_table(["NAME", "HANDLE", "TEAM", "EMAIL", "PHONE", "ROLES"], rows)))
    return 0


@with_workspace
def _people_add(args: argparse.Namespace, ws: Workspace) -> int:
    person = Person(
        handle=args.handle,
        name=args.name,
        team=args.team,
        email=args.email,
        phone=args.phone,
        roles=tuple(r for r in args.roles.replace(",", ";").split(";") if r.strip()),
    )
    service = PeopleService(ws)
    service.save_person(person)
    saved = service.person(args.handle)
    print_text(safe(f"saved {saved.label}"))
    return 0


@with_workspace
def _people_remove(args: argparse.Namespace, ws: Workspace) -> int:
    person = PeopleService(ws).remove_person(args.handle)
    print_text(safe(f"removed {person.label} (their past roles stay in every history)"))
    return 0


@with_workspace
def _people_import(args: argparse.Namespace, ws: Workspace) -> int:
    data = read_input(args.file, limit=CSV_FILE_MAX)
    result = PeopleService(ws).import_csv(data)
    if args.json:
        print_json(result.to_json())
    else:
        print_text(safe(f"{args.file}: {result.summary()}"))
    if result.skipped:
        for line, reason in result.skipped:
            warning = one_line(safe(f"line {line} skipped: {reason}"))
            print(f"commander: warning: {warning}", file=sys.stderr)
        return 1 if not (result.created or result.updated or result.unchanged) else 0
    return 0


@with_workspace
def _people_export(args: argparse.Namespace, ws: Workspace) -> int:
    text = PeopleService(ws).export_csv()
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8", newline="")
        print_text(f"wrote {text.count(chr(10)) - 1} people to {args.file}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


@with_workspace
def _briefing(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    roster = RosterService(ws)
    service = BriefingService(ws, roster, deadline_service(ws))
    text, _changes = service.generate(incident.id, log=not args.no_log)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0
