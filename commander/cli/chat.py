"""``commander paste INCIDENT [FILE|-]``: chat copied from Slack or Teams, onto the timeline.

``--dry-run`` prints what would be logged (and every line left out) and writes nothing.
"""

from __future__ import annotations

import argparse
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    input_name,
    read_input,
    with_workspace,
)
from commander.cli.output import print_json, print_text
from commander.core.chat_paste import ChatPaste, Format
from commander.core.clock import iso
from commander.core.errors import ValidationError
from commander.core.limits import CHAT_PASTE_MAX, decode_utf8
from commander.services.chat_import import log_chat, read_chat
from commander.services.incidents import IncidentService

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    paste = command(
        "paste", _paste, "log chat copied from Slack or Teams, each message at its own time"
    )
    add_incident_arg(paste)
    paste.add_argument(
        "file", nargs="?", default="-", metavar="FILE|-", help="the copied chat (default: stdin)"
    )
    paste.add_argument(
        "--dry-run", action="store_true", help="print the messages it would log; log nothing"
    )
    paste.add_argument(
        "--day",
        metavar="YYYY-MM-DD",
        help="the day of the first message when the chat shows no date (default: the latest "
        "day that puts no message in the future)",
    )
    add_json(paste)


@with_workspace
def _paste(args: argparse.Namespace, ws: Workspace) -> int:
    first_day = _day(args.day) if args.day else None
    text = decode_utf8(read_input(args.file, limit=CHAT_PASTE_MAX), what=input_name(args.file))
    incident = IncidentService(ws).resolve(args.incident)
    paste = read_chat(ws, text, first_day=first_day)
    zone = ws.zone
    if not paste.messages:
        raise ValidationError(_nothing(paste, input_name(args.file)))
    if not args.dry_run:
        log_chat(ws, incident.id, paste.messages)
    if args.json:
        print_json({**_json(paste), "incident_id": incident.id, "logged": not args.dry_run})
        return 0
    count = len(paste.messages)
    noun = "message" if count == 1 else "messages"
    if args.dry_run:
        print_text(f"{incident.ref}: {count} {noun} read as {paste.label}; nothing logged")
        print_text(_preview(paste, zone))
    else:
        print_text(f"{incident.ref}: logged {count} {noun} from {paste.label}")
    for skipped in paste.skipped:
        print_text(f"  left out line {skipped.line}: {skipped.text} ({skipped.reason})")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"--day {text!r} is not a date (use YYYY-MM-DD).") from None


def _nothing(paste: ChatPaste, source: str) -> str:
    if paste.format == Format.UNKNOWN:
        return (
            f"{source} holds no chat Commander can read; copy the messages from the Slack or "
            "Teams window (docs/user-guide.md lists the layouts it reads)."
        )
    return f"{source} reads as {paste.label} but holds no message with text."


def _preview(paste: ChatPaste, zone: tzinfo) -> str:
    rows = []
    width = max(len(m.author) for m in paste.messages)
    for message in paste.messages:
        local = message.occurred_at.astimezone(zone)
        lead = f"{local:%Y-%m-%d %H:%M}  {message.author:<{width}}  "
        lines = message.text.split("\n")
        rows.append(lead + lines[0])
        rows.extend(" " * len(lead) + line for line in lines[1:])
    return "\n".join(rows)


def _json(paste: ChatPaste) -> dict[str, Any]:
    return {
        "format": paste.format,
        "label": paste.label,
        "first_day": paste.first_day.isoformat() if paste.first_day else None,
        "messages": [
            {
                "line": m.line,
                "occurred_at": iso(m.occurred_at),
                "from": m.author,
                "text": m.text,
                "written": m.written,
            }
            for m in paste.messages
        ],
        "skipped": [{"line": s.line, "text": s.text, "reason": s.reason} for s in paste.skipped],
    }
