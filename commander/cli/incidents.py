"""Commands on incidents and their timelines: demo, incident new/list/set, log, show, verify.

``show`` marks each entry's kind (★ for a key event) and prints the end of its id, which
``key`` and ``log --answers`` take (``cli/kinds.py``).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from commander.cli.common import (
    EXIT_ERROR,
    CommandFactory,
    add_incident_arg,
    add_json,
    checked_first,
    with_workspace,
)
from commander.cli.incident_text import render_incident
from commander.cli.output import print_json, print_text, render_table, safe
from commander.cli.severity_text import incident_json, names_of
from commander.core.clock import parse_iso
from commander.core.entry_kinds import PERSON_KINDS, Kind
from commander.core.errors import ValidationError
from commander.services.incidents import SETTABLE_FIELDS, IncidentService
from commander.services.procedures import procedure_versions
from commander.services.questions import QuestionService

if TYPE_CHECKING:  # imported by the commands that use them: 'show' and 'log' stay light
    from commander.core.signing import SignatureProblem
    from commander.services.verify import VerifyReport
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    demo = command("demo", _demo, "load the demo incident (a P1 certificate expiry)")
    add_json(demo)

    incident = command("incident", _incident_help, "declare, list and change incidents")
    incident_commands = incident.add_subparsers(title="incident commands", metavar="ACTION")
    new = command("new", _incident_new, "declare an incident and print its id", incident_commands)
    new.add_argument("--title", required=True)
    new.add_argument(
        "--severity",
        required=True,
        metavar="LEVEL",
        help="the procedure's key or name (P0-P3, or e.g. SEV2 / major under a loaded file)",
    )
    new.add_argument(
        "--service",
        action="append",
        default=[],
        dest="services",
        metavar="SERVICE",
        help="an affected service (repeatable)",
    )
    new.add_argument("--impact", default="", help="customer impact, in words")
    new.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="the type or a custom field of the procedure (repeatable); those it requires at "
        "declaration must be given",
    )
    add_json(new)
    listing = command("list", _incident_list, "list incidents, latest first", incident_commands)
    add_json(listing)
    setter = command(
        "set", _incident_set, "change one field (logged on the timeline)", incident_commands
    )
    add_incident_arg(setter)
    setter.add_argument("field", metavar="FIELD", help=", ".join(SETTABLE_FIELDS))
    setter.add_argument(
        "value", metavar="VALUE", help="the new value; services are comma separated"
    )
    add_json(setter)

    log = command("log", _log, "append an entry to an incident's timeline")
    add_incident_arg(log)
    log.add_argument("text", nargs="+", metavar="TEXT", help="what happened")
    log.add_argument("--action", default="", help="the action taken")
    log.add_argument("--owner", default="", help="who owns it")
    log.add_argument(
        "--at",
        dest="occurred_at",
        metavar="ISO-8601",
        help="when it happened (default now; UTC unless an offset is given)",
    )
    log.add_argument(
        "--kind",
        default="",
        metavar="KIND",
        help=f"what the entry is: {', '.join(PERSON_KINDS)} (default observation)",
    )
    log.add_argument(
        "--answers", default="", metavar="ENTRY", help="the question this entry answers"
    )
    log.add_argument(
        "--by", default="", metavar="NAME", help="who decided (default: you, for a decision)"
    )
    add_json(log)

    show = command("show", _show, "print an incident and its timeline")
    add_incident_arg(show)
    show.add_argument(
        "--at",
        metavar="TIME",
        help="the state as it stood then, from the record (ISO-8601; your zone if none)",
    )
    add_json(show)

    verify = command(
        "verify", _verify, "check every op's hash chain, signature and the tables built from it"
    )
    verify.add_argument(
        "--file", metavar="EXPORT", default=None, help="check an incident export file instead"
    )
    add_json(verify)


def _incident_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'incident new', 'incident list' or 'incident set'.")


@with_workspace
def _demo(args: argparse.Namespace, ws: Workspace) -> int:
    from commander.services.demo.create import create_demo

    result = create_demo(ws)
    count = len(IncidentService(ws).timeline(result.incident.id))
    if args.json:
        print_json({**result.incident.to_json(), "created": result.created, "entries": count})
    elif result.created:
        print_text(f"{result.incident.ref}  demo incident loaded ({count} timeline entries)")
    else:
        print_text(f"{result.incident.ref}  demo incident already present")
    return 0


@with_workspace
def _incident_new(args: argparse.Namespace, ws: Workspace) -> int:
    declared = IncidentService(ws).declare(
        title=args.title,
        severity=args.severity,
        services=args.services,
        impact=args.impact,
        fields=_field_pairs(args.field),
    )
    if args.json:
        print_json(incident_json(declared.incident, names_of(ws)))
    else:
        print_text(declared.incident.id)
    return 0


def _field_pairs(given: list[str]) -> dict[str, str]:
    """``--field KEY=VALUE`` pairs; the values are checked against the procedure later."""
    pairs: dict[str, str] = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(
                f"--field takes KEY=VALUE, like customer_tier=enterprise (got {item!r})."
            )
        pairs[key.strip()] = value.strip()
    return pairs


@with_workspace
def _incident_list(args: argparse.Namespace, ws: Workspace) -> int:
    found = IncidentService(ws).list()
    names = names_of(ws)
    if args.json:
        print_json([incident_json(i, names) for i in found])
    elif not found:
        print_text(
            "No incidents. Declare one with 'commander incident new' or try 'commander demo'."
        )
    else:
        rows = [
            [i.ref, names.key(i.severity), i.status.label, i.phase.label, i.title] for i in found
        ]
        print_text(render_table(["REF", "SEV", "STATUS", "PHASE", "TITLE"], rows))
    return 0


@with_workspace
def _incident_set(args: argparse.Namespace, ws: Workspace) -> int:
    service = IncidentService(ws)
    incident = service.resolve(args.incident)
    changed = service.set_field(incident.id, args.field, args.value)
    incident = service.get(incident.id)
    if args.json:
        print_json({**incident_json(incident, names_of(ws)), "changed": bool(changed)})
    elif changed:
        print_text(f"{incident.ref}: {args.field.strip().lower()} changed")
    else:
        print_text(f"{incident.ref}: {args.field.strip().lower()} already has that value")
    return 0


def _occurred_at(args: argparse.Namespace) -> datetime | None:
    if args.occurred_at is None:
        return None
    try:
        return parse_iso(args.occurred_at)
    except ValueError:
        raise ValidationError(
            f"--at {args.occurred_at!r} is not an ISO-8601 time (for example 2026-11-28T10:42:00Z)."
        ) from None


@checked_first(_occurred_at)
@with_workspace
def _log(args: argparse.Namespace, ws: Workspace) -> int:
    occurred_at = _occurred_at(args)
    service = IncidentService(ws)
    incident = service.resolve(args.incident)
    answers = QuestionService(ws).resolve_entry(args.answers).id if args.answers else ""
    entry, _ = service.log(
        incident.id,
        " ".join(args.text),
        action=args.action,
        owner=args.owner,
        occurred_at=occurred_at,
        kind=args.kind or (Kind.ANSWER if answers else Kind.OBSERVATION),
        attributed_to=args.by,
        answers=answers,
    )
    if args.json:
        print_json({**entry.to_json(), "incident_id": incident.id, "ref": incident.ref})
    else:
        print_text(entry.id)
    return 0


def _show(args: argparse.Namespace) -> int:
    return _show_at(args) if args.at else _show_now(args)


@with_workspace
def _show_now(args: argparse.Namespace, ws: Workspace) -> int:
    service = IncidentService(ws)
    incident = service.resolve(args.incident)
    timeline = service.timeline(incident.id)
    with ws.read() as conn:
        versions = procedure_versions(conn, incident.id)
    zone = ws.zone
    names = names_of(ws)
    if args.json:
        print_json(
            {
                **incident_json(incident, names),
                "procedures": [v.to_json() for v in versions],
                "timeline": [e.to_json() for e in timeline],
            }
        )
    else:
        print_text(render_incident(incident, timeline, zone, versions, names))
    return 0


@with_workspace
def _show_at(args: argparse.Namespace, ws: Workspace) -> int:
    """``show --at``: the incident as the record held it then (services/time_travel.py)."""
    from commander.cli.review import parse_when
    from commander.config import load_deadline_settings
    from commander.services.time_travel import state_at

    at = parse_when(args.at, ws)
    hours = load_deadline_settings(ws.data_dir).business_hours()
    state = state_at(ws, args.incident, at, hours=hours)
    zone = ws.zone
    if args.json:
        print_json(state.to_json())
        return 0
    when = state.at.astimezone(zone)
    roles = [
        [line.role.name, safe(line.holder.person_name) if line.assigned and line.holder else "—"]
        for line in state.roster.lines
        if line.assigned or line.required
    ]
    deadlines = [
        [
            d.name,
            d.state.value.replace("_", " "),
            f"{d.due.astimezone(zone):%H:%M}" if d.due else "",
        ]
        for d in state.deadlines
        if d.applies or d.met_at is not None
    ]
    print_text(
        f"As recorded at {when:%Y-%m-%d %H:%M:%S %Z} ({state.ops} changes; read-only)\n"
        + render_incident(state.incident, state.timeline, zone, state.procedures, names_of(ws))
        + "\n\n"
        + render_table(["ROLE", "HELD BY"], roles)
        + "\n\n"
        + render_table(["DEADLINE", "STATE", "DUE"], deadlines)
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    return _verify_file(args) if getattr(args, "file", None) else _verify_workspace(args)


@with_workspace
def _verify_workspace(args: argparse.Namespace, ws: Workspace) -> int:
    from commander.services.verify import verify_workspace

    report = verify_workspace(ws)
    if args.json:
        print_json(report.to_json())
    else:
        print_text(render_verify(report))
    return 0 if report.ok else EXIT_ERROR


def _verify_file(args: argparse.Namespace) -> int:
    from pathlib import Path

    from commander.services.verify_file import verify_file

    report = verify_file(Path(args.file))
    if args.json:
        print_json(report.to_json())
        return 0 if report.ok else EXIT_ERROR
    lines = [
        f"BROKEN: op {b.op_id} (node {b.node_id}, position {b.position}): {b.reason}"
        for b in report.breaks
    ]
    lines.extend(signature_lines(report.signature_problems))
    summary = f"{report.path}: {report.ops_checked} ops from {report.nodes} node(s)"
    summary += signature_summary(report.signed, report.unsigned)
    lines.append(
        f"OK: {summary}; every op matches its hash and every signature holds."
        if report.ok
        else f"FAILED: {summary}."
    )
    print_text("\n".join(lines))
    return 0 if report.ok else EXIT_ERROR


def signature_lines(problems: list[SignatureProblem]) -> list[str]:
    return [
        f"BAD SIGNATURE: op {p.op_id} (node {p.node_id}, position {p.position}): {p.reason}"
        for p in problems
    ]


def signature_summary(signed: int, unsigned: int) -> str:
    text = f", {signed} signed"
    return text + (f", {unsigned} unsigned (before signing)" if unsigned else "")


def render_verify(report: VerifyReport) -> str:
    lines = []
    for brk in report.breaks:
        lines.append(
            f"BROKEN: op {brk.op_id} (node {brk.node_id}, position {brk.position}): {brk.reason}"
        )
    lines.extend(signature_lines(report.signature_problems))
    if report.head_problem:
        lines.append(f"BROKEN: {report.head_problem}")
    lines.extend(f"BROKEN: {problem}" for problem in report.attachment_problems)
    for mismatch in report.mismatches:
        lines.append(f"MISMATCH: {mismatch.table} {mismatch.row_id}: {mismatch.detail}")
    hidden = report.mismatch_count - len(report.mismatches)
    if hidden > 0:
        lines.append(f"... and {hidden} more mismatches")
    summary = f"{report.ops_checked} ops on {report.nodes} node(s)" + signature_summary(
        report.signed, report.unsigned
    )
    lines.append(
        f"OK: {summary}; every chain is intact, every signature holds and the tables match the log."
        if report.ok
        else f"FAILED: {summary}."
    )
    return "\n".join(lines)
