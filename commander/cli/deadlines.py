"""Commands on deadlines: ``deadlines`` lists them at any instant; ``deadline`` records events;
``settings`` sets the business hours and the due-soon threshold they use."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    checked_first,
    with_workspace,
)
from commander.cli.output import print_json, print_text, render_table
from commander.cli.severity_text import names_of
from commander.config import (
    DeadlineSettings,
    load_deadline_settings,
    parse_days,
    resolve_data_dir,
    save_deadline_settings,
)
from commander.core.clock import parse_iso
from commander.core.deadlines import DUE_NOW, Deadline, DeadlineState, countdown_text
from commander.core.errors import ValidationError
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    listing = command("deadlines", _list, "every deadline of an incident, as of now or --now")
    add_incident_arg(listing)
    listing.add_argument("--now", metavar="ISO-8601", help="compute as of this instant")
    add_json(listing)

    deadline = command("deadline", _deadline_help, "record that a deadline was met or snoozed")
    actions = deadline.add_subparsers(title="deadline actions", metavar="ACTION")
    met = command("met", _met, "mark a deadline met (logged on the timeline)", actions)
    add_incident_arg(met)
    met.add_argument("key", metavar="DEADLINE", help="e.g. response, escalation, customer_comms")
    met.add_argument("--how", default="", help='how it was met, e.g. "Executive notified"')
    add_json(met)
    sent = command("update-sent", _update_sent, "an internal update went out", actions)
    add_incident_arg(sent)
    sent.add_argument("--how", default="", help="e.g. #incident channel and e-mail")
    add_json(sent)
    snooze = command("snooze", _snooze, "acknowledge a deadline and silence it a while", actions)
    add_incident_arg(snooze)
    snooze.add_argument("key", metavar="DEADLINE")
    snooze.add_argument("--minutes", type=int, default=15, help="how long (default 15)")
    snooze.add_argument("--reason", required=True)
    add_json(snooze)

    settings = command("settings", _settings, "show or change how deadlines are computed")
    settings.add_argument("--business-days", metavar="DAYS", help="e.g. mon-fri or sun-thu")
    settings.add_argument("--business-hours", metavar="HH:MM-HH:MM", help="e.g. 09:00-17:00")
    settings.add_argument("--time-zone", metavar="ZONE", help="IANA zone; 'local' for this PC")
    settings.add_argument("--due-soon", type=int, metavar="MINUTES", help="amber threshold")
    add_json(settings)


def deadline_service(ws: Workspace) -> DeadlineService:
    settings = load_deadline_settings(ws.data_dir)
    return DeadlineService(
        ws,
        hours=settings.business_hours(),
        due_soon=timedelta(minutes=settings.due_soon_minutes),
    )


def _deadline_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'deadline met', 'deadline update-sent' or 'snooze'.")


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    now = _parse_now(args.now)
    incident = IncidentService(ws).resolve(args.incident)
    found = deadline_service(ws).deadlines(incident.id, now)
    zone = ws.zone
    if args.json:
        print_json([d.to_json() for d in found])
        return 0
    rows = [_row(d, zone) for d in found]
    print_text(f"{incident.ref}  {names_of(ws).key(incident.severity)}  {incident.status.label}")
    print_text(render_table(["DEADLINE", "DUE", "LEFT", "STATE", "DETAIL"], rows))
    return 0


def _row(deadline: Deadline, zone) -> list[str]:  # type: ignore[no-untyped-def]
    due = deadline.due.astimezone(zone).strftime("%m-%d %H:%M") if deadline.due else "—"
    left = countdown_text(deadline)
    if deadline.state is DeadlineState.MET:
        left = ""
        detail = f"{deadline.how or 'met'} by {deadline.met_by or '?'}"
    elif deadline.state is DeadlineState.NOT_APPLICABLE:
        detail = deadline.reason_not_applicable or ""
    else:
        detail = ""
    state = DUE_NOW.lower() if deadline.in_grace else deadline.state.value.replace("_", " ")
    return [deadline.name, due, left, state, detail]


@with_workspace
def _met(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = deadline_service(ws)
    key = service.key_of(args.key)
    service.mark_met(incident.id, key, how=args.how)
    found = {str(d.key): d for d in service.deadlines(incident.id)}
    return _done(args, found[str(key)], f"{incident.ref}: {args.key} met")


@with_workspace
def _update_sent(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = deadline_service(ws)
    service.update_sent(incident.id, how=args.how)
    found = {str(d.key): d for d in service.deadlines(incident.id)}
    update = found["internal_update"]
    return _done(args, update, f"{incident.ref}: internal update sent; next due {update.due}")


def _check_snooze(args: argparse.Namespace) -> None:
    if not 1 <= args.minutes <= 24 * 60:
        raise ValidationError("--minutes must be between 1 and 1440.")


@checked_first(_check_snooze)
@with_workspace
def _snooze(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = deadline_service(ws)
    until = ws.clock.now() + timedelta(minutes=args.minutes)
    kind = service.key_of(args.key)
    service.snooze(incident.id, kind, until=until, reason=args.reason)
    found = {str(d.key): d for d in service.deadlines(incident.id)}
    key = str(kind)
    return _done(args, found[key], f"{incident.ref}: {key} snoozed for {args.minutes} min")


def _done(args: argparse.Namespace, deadline: Deadline, text: str) -> int:
    if args.json:
        print_json(deadline.to_json())
    else:
        print_text(text)
    return 0


def _settings(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    current = load_deadline_settings(data_dir)
    changes: dict[str, object] = {}
    if args.business_days:
        changes["days"] = parse_days(args.business_days)
    if args.business_hours:
        start, sep, end = args.business_hours.partition("-")
        if not sep:
            raise ValidationError("--business-hours takes HH:MM-HH:MM, e.g. 09:00-17:00.")
        changes["start"], changes["end"] = start.strip(), end.strip()
    if args.time_zone:
        changes["zone"] = None if args.time_zone.lower() == "local" else args.time_zone
    if args.due_soon is not None:
        if not 0 <= args.due_soon <= 24 * 60:
            raise ValidationError("--due-soon must be between 0 and 1440 minutes.")
        changes["due_soon_minutes"] = args.due_soon
    if changes:
        current = DeadlineSettings(**{**current.__dict__, **changes})  # type: ignore[arg-type]
        save_deadline_settings(data_dir, current)
    if args.json:
        print_json(current.to_json())
    else:
        for key, value in current.to_json().items():
            shown = ", ".join(value) if isinstance(value, list) else value
            print_text(f"{key:<18} {shown if shown is not None else 'local'}")
    return 0


def _parse_now(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        raise ValidationError(f"--now {text!r} is not an ISO-8601 time.") from None
