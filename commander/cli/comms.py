"""Commands for incident communication: ``compose`` prints a filled template, ``send`` queues
it in the outbox, ``outbox`` lists (and with ``--deliver`` delivers) what is waiting."""

from __future__ import annotations

import argparse
from datetime import tzinfo

from commander.cli.common import CommandFactory, add_incident_arg, add_json, with_workspace
from commander.cli.deadlines import deadline_service
from commander.cli.output import print_json, print_text, render_table, safe
from commander.core.channels import parse_channel
from commander.core.messages import as_markdown, as_plain_text
from commander.core.templates import parse_audience
from commander.integrations.channel_settings import ChannelSecrets
from commander.services.comms import CommsService
from commander.services.delivery import comms_for, engine_for
from commander.services.incidents import IncidentService
from commander.services.outbox import OutboxItem, OutboxService
from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    compose = command("compose", _compose, "print a template filled from the incident record")
    add_incident_arg(compose)
    _message_args(compose)
    compose.add_argument("--markdown", action="store_true", help="print Markdown, not text")
    add_json(compose)

    send = command("send", _send, "queue a message in the outbox for delivery")
    add_incident_arg(send)
    _message_args(send, channel_required=True)
    send.add_argument("--deliver", action="store_true", help="try to deliver it right away")
    add_json(send)

    outbox = command("outbox", _outbox, "list the outbox (queued, sending, sent, failed)")
    outbox.add_argument("--incident", metavar="INCIDENT", help="only this incident's messages")
    outbox.add_argument("--deliver", action="store_true", help="deliver what is due first")
    outbox.add_argument("--retry", metavar="ID", help="queue a failed message again")
    add_json(outbox)

    templates = command("templates", _templates, "list the communication templates")
    add_json(templates)


def _message_args(parser: argparse.ArgumentParser, *, channel_required: bool = False) -> None:
    parser.add_argument("template", metavar="TEMPLATE", help="e.g. initial, update, resolved")
    parser.add_argument(
        "--channel",
        required=channel_required,
        default="email",
        help="slack, teams, email, statuspage, webhook, pagerduty or phone",
    )
    parser.add_argument("--audience", help="internal, executive, customer or partner")
    parser.add_argument(
        "--set",
        metavar="FIELD=VALUE",
        action="append",
        default=[],
        help="fill a field, e.g. --set eta=11:30 (repeatable)",
    )


def _typed(pairs: list[str]) -> dict[str, str]:
    from commander.core.errors import ValidationError

    typed: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(f"--set {pair!r}: write FIELD=VALUE, e.g. eta=11:30.")
        typed[name.strip()] = value
    return typed


def _services(ws: Workspace) -> CommsService:
    return comms_for(ws, deadline_service(ws))


def _outbox_service(ws: Workspace) -> OutboxService:
    deadlines = deadline_service(ws)
    return OutboxService(ws, comms_for(ws, deadlines), deadlines)


@with_workspace
def _compose(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    composition = _services(ws).compose(
        incident.id,
        args.template,
        channel=parse_channel(args.channel),
        audience=parse_audience(args.audience) if args.audience else None,
        typed=_typed(args.set),
    )
    preview = composition.preview
    if args.json:
        print_json(
            {
                "template": composition.template.key,
                "audience": composition.audience.value,
                "channel": preview.channel.value,
                **composition.rendered.to_json(),
                "payload": preview.payload,
                "counters": list(preview.counters),
                "problems": [{"text": p.text, "blocks": p.blocks} for p in preview.problems],
            }
        )
        return 0
    rendered = composition.rendered
    text = as_markdown(rendered) if args.markdown else as_plain_text(rendered)
    print_text(safe(text.rstrip("\n")))
    if rendered.empty:
        print_text(f"\n[still empty: {', '.join(rendered.empty)}]")
    for problem in preview.problems:
        print_text(f"[{'cannot send' if problem.blocks else 'warning'}: {problem.text}]")
    return 0


@with_workspace
def _send(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    outbox = _outbox_service(ws)
    item = outbox.queue(
        incident.id,
        args.template,
        channel=parse_channel(args.channel),
        audience=parse_audience(args.audience) if args.audience else None,
        typed=_typed(args.set),
    )
    if args.deliver:
        engine = engine_for(outbox, ChannelSecrets(ws.data_dir))
        engine.run_once()
    item = outbox.outbox_item(item.id)
    if args.json:
        print_json(item.to_json())
    else:
        detail = item.answer or item.error
        print_text(
            f"{incident.ref}: {item.channel.label} message {item.state}"
            + (f" — {safe(detail)}" if detail else "")
            + f" (id {item.id})"
        )
    return 0


@with_workspace
def _outbox(args: argparse.Namespace, ws: Workspace) -> int:
    outbox = _outbox_service(ws)
    incident_id = IncidentService(ws).resolve(args.incident).id if args.incident else None
    if args.retry:
        outbox.retry(args.retry)
    if args.deliver:
        engine = engine_for(outbox, ChannelSecrets(ws.data_dir))
        engine.run_once()
    items = outbox.outbox(incident_id)
    zone = ws.zone
    if args.json:
        print_json([item.to_json() for item in items])
        return 0
    if not items:
        print_text("The outbox is empty.")
        return 0
    rows = []
    for item in items:
        when = (item.finished_at or item.created_at).astimezone(zone).strftime("%m-%d %H:%M")
        rows.append(
            [
                when,
                item.state,
                item.channel.label,
                item.audience.value,
                safe(item.subject),
                safe(item.answer or item.error or _held(item, zone)),
                item.id,
            ]
        )
    print_text(
        render_table(["TIME", "STATE", "CHANNEL", "AUDIENCE", "SUBJECT", "ANSWER", "ID"], rows)
    )
    return 0


def _held(item: OutboxItem, zone: tzinfo) -> str:
    """Why a "sending" message is not sent by this run: who holds it, and until when."""
    if item.state != "sending" or item.lease_expires_at is None:
        return ""
    until = item.lease_expires_at.astimezone(zone).strftime("%H:%M:%S")
    return f"held by {item.lease_owner} until {until}"


@with_workspace
def _templates(args: argparse.Namespace, ws: Workspace) -> int:
    templates = _services(ws).templates()
    if args.json:
        print_json([t.to_json() for t in templates])
        return 0
    rows = [
        [t.key, t.audience.value, t.name, "shipped" if t.builtin else "workspace"]
        for t in templates
    ]
    print_text(render_table(["KEY", "AUDIENCE", "NAME", "SOURCE"], rows))
    return 0
