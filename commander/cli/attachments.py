"""``attach`` puts a file on an incident's timeline; ``attachment get`` / ``attachment list``
read files back (by SHA-256, so what comes out is provably what went in)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from commander.cli.common import CommandFactory, add_incident_arg, add_json, with_workspace
from commander.cli.output import print_json, print_text, render_table, safe
from commander.core.attachments import size_text_of
from commander.core.errors import ValidationError
from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    attach = command("attach", _attach, "attach a file (a screenshot, a log) to the timeline")
    add_incident_arg(attach)
    attach.add_argument("file", metavar="FILE", help="at most 20 MiB (docs/limits.md)")
    attach.add_argument("--note", default="", help="the entry's text (default: the file name)")
    add_json(attach)

    attachment = command("attachment", _help, "read attached files back")
    actions = attachment.add_subparsers(title="attachment actions", metavar="ACTION")
    get = command("get", _get, "write an attached file by its SHA-256", actions)
    get.add_argument("sha", metavar="SHA256", help="its SHA-256, or its first 8+ hex digits")
    get.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write it")
    listing = command("list", _list, "an incident's attached files", actions)
    add_incident_arg(listing)
    add_json(listing)


def _help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'attachment get' or 'attachment list'.")


@with_workspace
def _attach(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    done = AttachmentService(ws).attach_file(incident.id, Path(args.file), note=args.note)
    if args.json:
        print_json({"entry_id": done.entry.id, **done.ref.to_value()})
    else:
        print_text(
            f"{incident.ref}: attached {safe(done.ref.name)} "
            f"({size_text_of(done.ref.size)}, sha256 {done.ref.sha256})"
        )
    return 0


@with_workspace
def _get(args: argparse.Namespace, ws: Workspace) -> int:
    ref, data = AttachmentService(ws).content(args.sha)
    target = Path(args.output)
    try:
        if target.is_dir():
            target = target / ref.name
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise ValidationError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    print_text(f"wrote {safe(ref.name)} ({size_text_of(ref.size)}) to {target}")
    return 0


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    found = AttachmentService(ws).of_incident(incident.id)
    if args.json:
        print_json([{"entry_id": item.entry_id, **item.ref.to_value()} for item in found])
        return 0
    rows = [
        [
            item.ref.sha256[:12],
            safe(item.ref.name),
            item.ref.media_type,
            size_text_of(item.ref.size),
        ]
        for item in found
    ]
    print_text(render_table(["SHA256", "NAME", "TYPE", "SIZE"], rows))
    return 0
