"""``commander slack``: connect an incident to a Slack channel and pull its messages into
the timeline (``connect``, ``disconnect``, ``token``, ``pull``, ``status``).

The bot token is read by ``slack token`` from stdin or a no-echo prompt, never argv, and
kept in the keyring (or the owner-only secrets file the user chose).
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING, Any

from commander.cli.common import (
    EXIT_ERROR,
    CommandFactory,
    add_incident_arg,
    add_json,
    with_workspace,
)
from commander.cli.output import print_json, print_text, safe
from commander.config import resolve_data_dir
from commander.core.errors import ValidationError

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    slack = command("slack", _help, "pull a Slack channel's messages into an incident")
    actions = slack.add_subparsers(title="slack actions", metavar="ACTION")
    connect = command("connect", _connect, "connect an incident to a Slack channel", actions)
    add_incident_arg(connect)
    connect.add_argument("channel", metavar="CHANNEL", help="the channel id (C…) or its link")
    which = connect.add_mutually_exclusive_group()
    which.add_argument(
        "--reaction", default="pushpin", help="log messages with this reaction (default pushpin)"
    )
    which.add_argument("--all", action="store_true", help="log every message of the channel")
    connect.add_argument(
        "--api-url", default="", help="the Web API address (default https://slack.com/api/)"
    )
    add_json(connect)
    disconnect = command("disconnect", _disconnect, "stop reading the incident's channel", actions)
    add_incident_arg(disconnect)
    token = command("token", _token, "store the bot token (read from stdin or a prompt)", actions)
    token.add_argument("--forget", action="store_true", help="delete the stored token instead")
    pull = command("pull", _pull, "read the channel now and log what is new", actions)
    add_incident_arg(pull)
    add_json(pull)
    status = command("status", _status, "the incident's channel and how far it was read", actions)
    add_incident_arg(status)
    add_json(status)


def _help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'slack connect', 'disconnect', 'token', 'pull' or 'status'."
    )


def _service(ws: Any, args: argparse.Namespace) -> Any:
    from commander.integrations.slack_token import SlackToken
    from commander.services.slack_import import SlackImportService

    tokens = SlackToken(data_dir=resolve_data_dir(args.data_dir))
    return SlackImportService(ws, token=tokens.get, sleep=time.sleep)


@with_workspace
def _connect(args: argparse.Namespace, ws: Workspace) -> int:
    from commander.integrations.slack_reader import API_URL
    from commander.services.slack_import import ALL

    link = _service(ws, args).connect(
        args.incident,
        args.channel,
        reaction=ALL if args.all else args.reaction,
        api_url=args.api_url or API_URL,
    )
    if args.json:
        print_json(link.to_json())
    else:
        print_text(f"Connected: {link.describe}. Run 'commander slack pull' to read it now.")
    return 0


@with_workspace
def _disconnect(args: argparse.Namespace, ws: Workspace) -> int:
    link = _service(ws, args).disconnect(args.incident)
    print_text(f"Disconnected from Slack channel {link.channel}; logged entries stay.")
    return 0


def _token(args: argparse.Namespace) -> int:
    from commander.cli.secrets_cli import read_secret, ready_to_store
    from commander.integrations.slack_token import SlackToken

    tokens = SlackToken(data_dir=resolve_data_dir(args.data_dir))
    if args.forget:
        tokens.delete()
        print_text("Slack bot token deleted.")
        return 0
    ready_to_store(tokens.store)  # refused before reading if nothing can keep it
    kept = tokens.set(read_secret("Slack bot token (xoxb-…)"))
    print_text(f"Slack bot token kept in {kept.describe()}.")
    return 0


@with_workspace
def _pull(args: argparse.Namespace, ws: Workspace) -> int:
    report = _service(ws, args).pull(args.incident)
    if args.json:
        print_json(report.to_json())
    else:
        print_text(safe(report.summary))
    return EXIT_ERROR if report.error else 0


@with_workspace
def _status(args: argparse.Namespace, ws: Workspace) -> int:
    service = _service(ws, args)
    incident = service.incidents.resolve(args.incident)
    link = service.link(incident.id)
    zone = ws.zone
    if link is None:
        raise ValidationError(f"{incident.ref} is not connected to a Slack channel.")
    if args.json:
        print_json(link.to_json())
        return 0
    lines = [link.describe, f"Logged from this laptop: {link.logged}"]
    if link.last_pass_at:
        lines.append(f"Last read: {link.last_pass_at.astimezone(zone):%Y-%m-%d %H:%M:%S}")
    else:
        lines.append("Not read yet.")
    if link.last_error:
        lines.append(f"Last problem: {link.last_error}")
    print_text(safe("\n".join(lines)))
    return 0
