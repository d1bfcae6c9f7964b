"""Commands on the post-incident review: ``review`` (show, set, schedule, held, ics) and
``action`` (add, list, update) for the action items across all incidents."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    checked_first,
    read_input,
    with_workspace,
)
from commander.cli.output import print_json, print_text, render_table, safe
from commander.cli.severity_text import names_of
from commander.core.errors import ValidationError
from commander.core.limits import STDIN_TEXT_MAX, decode_utf8
from commander.core.review import (
    REVIEW_KEYS,
    REVIEW_SECTIONS,
    STATUS_LABELS,
    ActionItem,
    ItemStatus,
    Term,
    require_key,
)
from commander.core.review_metrics import format_duration
from commander.services.action_items import ActionItemService
from commander.services.incidents import IncidentService
from commander.services.review import ReviewService
from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    review = command("review", _review_help, "the post-incident review of an incident")
    actions = review.add_subparsers(title="review actions", metavar="ACTION")
    show = command("show", _show, "the review: numbers from the record, text, items", actions)
    add_incident_arg(show)
    add_json(show)
    set_ = command("set", _set, "write one section of the review", actions)
    add_incident_arg(set_)
    set_.add_argument("key", metavar="KEY", help=f"one of: {', '.join(REVIEW_KEYS)}")
    set_.add_argument("text", metavar="TEXT", help="the text, or - to read it from stdin")
    resolve = command(
        "resolve", _resolve, "settle a section edited at the same time on two laptops", actions
    )
    add_incident_arg(resolve)
    resolve.add_argument("key", metavar="KEY", help=f"one of: {', '.join(REVIEW_KEYS)}")
    resolve.add_argument(
        "--use",
        metavar="OP_ID",
        help="the competing version to keep (its op id, or the end of it, as 'show --json' "
        "lists); default: keep the shown text",
    )
    schedule = command("schedule", _schedule, "set when the review meets", actions)
    add_incident_arg(schedule)
    schedule.add_argument(
        "when",
        metavar="WHEN",
        nargs="?",
        help="'YYYY-MM-DD HH:MM' in your zone, or ISO-8601 with a zone",
    )
    schedule.add_argument("--minutes", type=int, default=60, help="length (default 60)")
    schedule.add_argument("--cancel", action="store_true", help="cancel the scheduled review")
    add_json(schedule)
    held = command("held", _held, "record that the review took place (meets its deadline)", actions)
    add_incident_arg(held)
    held.add_argument("--how", default="", help="e.g. 'Review held with 8 attendees'")
    ics = command("ics", _ics, "write the review invitation as iCalendar (.ics)", actions)
    add_incident_arg(ics)
    ics.add_argument("-o", "--output", metavar="FILE", help="default: stdout")
    ics.add_argument(
        "--report-url",
        metavar="URL",
        default=None,
        help="where the incident reports are published; the invitation links "
        "<URL>/<reference>-report.html (default: review_report_url in settings.json, "
        "else just the file name)",
    )

    action = command("action", _action_help, "action items from post-incident reviews")
    a_actions = action.add_subparsers(title="action item actions", metavar="ACTION")
    add = command("add", _add, "add an action item to an incident", a_actions)
    add_incident_arg(add)
    add.add_argument("title", metavar="TITLE")
    _item_options(add)
    add.add_argument("--entry", metavar="ENTRY_ID", help="the timeline entry it comes from")
    add_json(add)
    listing = command("list", _list, "action items, overdue first", a_actions)
    listing.add_argument("incident", metavar="INCIDENT", nargs="?", help="default: all incidents")
    listing.add_argument("--open", action="store_true", help="only items not done or cancelled")
    add_json(listing)
    update = command("update", _update, "change an action item", a_actions)
    update.add_argument("item", metavar="ITEM", help="its id, or the end of it as listed")
    update.add_argument("--title")
    _item_options(update, defaults=False)
    add_json(update)


def _item_options(parser: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    parser.add_argument("--owner", default="" if defaults else None)
    parser.add_argument(
        "--term",
        choices=Term.ALL,
        default=Term.SHORT if defaults else None,
        help="short 1-2 weeks, medium 1-3 months, long 3+ months (sets the default due date)",
    )
    parser.add_argument("--due", metavar="YYYY-MM-DD", help="default: from the term")
    parser.add_argument(
        "--status",
        choices=ItemStatus.ALL,
        default=ItemStatus.OPEN if defaults else None,
    )
    parser.add_argument("--tracker", metavar="URL", default="" if defaults else None)


def _review_help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'review show', 'set', 'resolve', 'schedule', 'held' or 'ics'."
    )


def _action_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'action add', 'list' or 'update'.")


def review_service(ws: Workspace) -> ReviewService:
    from commander.config import load_deadline_settings

    return ReviewService(ws, hours=load_deadline_settings(ws.data_dir).business_hours())


@with_workspace
def _show(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = review_service(ws)
    metrics = service.metrics(incident.id)
    fields = service.review_fields(incident.id)
    competing = service.competing_versions(incident.id)
    schedule = service.schedule(incident.id)
    item_service = ActionItemService(ws)
    items = item_service.action_items(incident.id)
    today, zone = item_service.today(), ws.zone
    if args.json:
        print_json(
            {
                "incident": incident.to_json(),
                "metrics": metrics.to_json(),
                "fields": fields,
                "competing_versions": {
                    key: [version.to_json() for version in versions]
                    for key, versions in competing.items()
                },
                "schedule": None if schedule is None else schedule.to_json(),
                "action_items": [item.to_json(today) for item in items],
            }
        )
        return 0

    def when(value: datetime | None) -> str:
        return "not recorded" if value is None else f"{value.astimezone(zone):%Y-%m-%d %H:%M}"

    lines = [
        f"{incident.ref}  {names_of(ws).key(incident.severity)}  {incident.status.label}  "
        f"{incident.title}",
        f"Started {when(metrics.started_at)}; resolved {when(metrics.resolved_at)}; "
        f"duration {format_duration(metrics.duration)}",
        f"Time to acknowledge {format_duration(metrics.time_to_acknowledge)}, to mitigate "
        f"{format_duration(metrics.time_to_mitigate)}, to resolve "
        f"{format_duration(metrics.time_to_resolve)}",
        f"Deadlines met: {', '.join(metrics.deadlines_met) or 'none'}",
        f"Deadlines missed: {', '.join(metrics.deadlines_missed) or 'none'}",
        "Review: "
        + (
            "not scheduled"
            if schedule is None
            else f"{when(schedule.start)} ({schedule.minutes} min)"
            + (" - after the one-week deadline" if schedule.within_deadline is False else "")
        ),
    ]
    for key, versions in competing.items():
        for version in versions:
            lines.append(
                f"\N{WARNING SIGN} {key}: also edited at the same time by {version.author} at "
                f"{version.at.astimezone(zone):%H:%M} (not shown)"
            )
    if competing:
        lines.append(
            "  Choose which text to keep: Compare… on the Review tab, or 'commander review "
            "resolve INCIDENT KEY [--use OP_ID]'."
        )
    for title, section in REVIEW_SECTIONS:
        lines += ["", f"## {title}"]
        for key, label in section:
            lines.append(f"{label}: {fields[key] or '-'}")
    print_text(safe("\n".join(lines)))
    if items:
        print_text("")
        print_text(safe(render_table(*_item_table(items, today))))
    return 0


@with_workspace
def _set(args: argparse.Namespace, ws: Workspace) -> int:
    if args.text == "-":
        text = decode_utf8(read_input("-", limit=STDIN_TEXT_MAX), what="stdin")
    else:
        text = args.text
    incident = IncidentService(ws).resolve(args.incident)
    changes = review_service(ws).set_field(incident.id, args.key, text)
    print_text(f"{incident.ref}: {args.key} {'saved' if changes.incident_ids else 'unchanged'}")
    return 0


@with_workspace
def _resolve(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = review_service(ws)
    key = require_key(args.key)
    versions = service.competing_versions(incident.id).get(key, [])
    if not versions:
        raise ValidationError(f"{key} has no competing versions: nothing to resolve.")
    if args.use:
        chosen = [v for v in versions if v.op_id.endswith(args.use.strip())]
        if len(chosen) != 1:
            raise ValidationError(
                f"{args.use!r} names {'no' if not chosen else 'more than one'} competing "
                f"version of {key}: use one of {', '.join(v.op_id for v in versions)}."
            )
        text, what = chosen[0].text, f"{chosen[0].author}'s version"
    else:
        text, what = service.review_fields(incident.id)[key], "the shown text"
    service.resolve(incident.id, key, text)
    print_text(safe(f"{incident.ref}: {key} resolved, keeping {what}"))
    return 0


def parse_when(text: str, ws: Workspace) -> datetime:
    """``YYYY-MM-DD HH:MM`` in the user's zone, or ISO-8601 (with a zone, or local)."""
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"{text!r} is not a time: use 'YYYY-MM-DD HH:MM'.") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=ws.zone)


def _check_schedule(args: argparse.Namespace) -> None:
    if not args.cancel and not args.when:
        raise ValidationError("Give the review time (YYYY-MM-DD HH:MM) or --cancel.")


@checked_first(_check_schedule)
@with_workspace
def _schedule(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = review_service(ws)
    when = None if args.cancel else parse_when(args.when, ws)
    service.schedule_review(incident.id, when, minutes=args.minutes)
    schedule = service.schedule(incident.id)
    zone = ws.zone
    if args.json:
        print_json(None if schedule is None else schedule.to_json())
    elif schedule is None:
        print_text(f"{incident.ref}: review cancelled")
    else:
        print_text(f"{incident.ref}: review at {schedule.start.astimezone(zone):%Y-%m-%d %H:%M}")
    if schedule is not None and schedule.within_deadline is False and schedule.deadline_due:
        due = schedule.deadline_due.astimezone(zone)
        print(
            f"commander: warning: that is after the one-week deadline ({due:%Y-%m-%d %H:%M}).",
            file=sys.stderr,
        )
    return 0


@with_workspace
def _held(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    review_service(ws).mark_review_held(incident.id, args.how)
    print_text(f"{incident.ref}: post-incident review recorded as held")
    return 0


@with_workspace
def _ics(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    data = review_service(ws).review_ics(incident.id, report_url=args.report_url)
    if args.output:
        Path(args.output).write_bytes(data)
        print_text(f"{incident.ref}: invitation written to {args.output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _due(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{text!r} is not a date: use YYYY-MM-DD.") from None


@with_workspace
def _add(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = ActionItemService(ws)
    item = service.add_action_item(
        incident.id,
        args.title,
        owner=args.owner,
        term=args.term,
        due=_due(args.due),
        status=args.status,
        tracker_url=args.tracker,
        entry_id=args.entry,
    )
    today = service.today()
    if args.json:
        print_json(item.to_json(today))
    else:
        print_text(safe(f"{incident.ref}: action item {_short(item)} due {item.due} added"))
    return 0


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    service = ActionItemService(ws)
    incidents = IncidentService(ws)
    incident_id = incidents.resolve(args.incident).id if args.incident else None
    items = service.action_items(incident_id)
    refs = {i.id: i.ref for i in incidents.list()}
    today = service.today()
    if args.open:
        items = [item for item in items if not item.finished]
    if args.json:
        print_json(
            [{**item.to_json(today), "incident": refs.get(item.incident_id)} for item in items]
        )
        return 0
    if not items:
        print_text("No action items.")
        return 0
    headers, rows = _item_table(items, today, refs)
    print_text(safe(render_table(headers, rows)))
    return 0


@with_workspace
def _update(args: argparse.Namespace, ws: Workspace) -> int:
    service = ActionItemService(ws)
    item = service.update_action_item(
        service.action_item(args.item).id,
        title=args.title,
        owner=args.owner,
        term=args.term,
        due=_due(args.due),
        status=args.status,
        tracker_url=args.tracker,
    )
    today = service.today()
    if args.json:
        print_json(item.to_json(today))
    else:
        status = STATUS_LABELS[item.status]
        print_text(safe(f"action item {_short(item)}: {status}, due {item.due}"))
    return 0


def _short(item: ActionItem) -> str:
    return item.id[-8:]


def _item_table(
    items: list[ActionItem], today: date, refs: dict[str, str] | None = None
) -> tuple[list[str], list[list[str]]]:
    headers = ["ID", "DUE", "STATUS", "TERM", "OWNER", "TITLE"]
    if refs is not None:
        headers.insert(1, "INCIDENT")
    rows = []
    for item in items:
        status = "OVERDUE" if item.is_overdue(today) else STATUS_LABELS[item.status]
        row = [_short(item), item.due.isoformat(), status, item.term, item.owner, item.title]
        if refs is not None:
            row.insert(1, refs.get(item.incident_id, "?"))
        rows.append(row)
    return headers, rows
