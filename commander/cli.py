"""The ``commander`` command: the GUI by default, and every scriptable action as a subcommand.

Parsing and printing only; the work happens in services. Every failure a user can cause
(bad input, a damaged or newer workspace, an unwritable directory) ends as one line on
stderr, ``commander: error: <message>``, and exit status 1 (2 for usage errors). This module
must stay cheap to import: no Qt, matplotlib or Alembic until a command needs them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import tzinfo
from typing import Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from commander import __version__
from commander.config import local_zone, resolve_author, resolve_data_dir
from commander.core.clock import parse_iso
from commander.core.errors import CommanderError, ValidationError
from commander.core.records import Incident, TimelineEntry
from commander.services.demo import create_demo
from commander.services.incidents import SETTABLE_FIELDS, IncidentService
from commander.services.verify import VerifyReport, verify_workspace
from commander.services.workspace import Workspace

PROG = "commander"
ENV_DEBUG = "COMMANDER_DEBUG"
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line like every other error."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_USAGE, f"{PROG}: error: {message}{hint}\n")


# -- entry point ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status instead of raising ``SystemExit``."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Handler = getattr(args, "handler", _gui)
    try:
        return handler(args)
    except CommanderError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (SQLAlchemyError, sqlite3.Error) as exc:
        return _fail(f"the workspace failed: {getattr(exc, 'orig', None) or exc}")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}")
    except Exception as exc:
        if os.environ.get(ENV_DEBUG):
            raise
        return _fail(
            f"unexpected {type(exc).__name__}: {exc} (set {ENV_DEBUG}=1 to see the traceback)"
        )


def _fail(message: str) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_ERROR


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# -- the parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Incident commander console.")
    _add_global_options(parser, top=True)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Handler, help_text: str, where: Any = commands
    ) -> argparse.ArgumentParser:
        sub = where.add_parser(name, help=help_text, description=help_text)
        _add_global_options(sub, top=False)
        sub.set_defaults(handler=handler)
        return sub

    command("gui", _gui, "open the Commander window (the default)")

    demo = command("demo", _demo, "load the demo incident (a P1 certificate expiry)")
    _add_json(demo)

    incident = command("incident", _incident_help, "declare, list and change incidents")
    incident_commands = incident.add_subparsers(title="incident commands", metavar="ACTION")
    new = command("new", _incident_new, "declare an incident and print its id", incident_commands)
    new.add_argument("--title", required=True)
    new.add_argument("--severity", required=True, metavar="P0|P1|P2|P3")
    new.add_argument(
        "--service",
        action="append",
        default=[],
        dest="services",
        metavar="SERVICE",
        help="an affected service (repeatable)",
    )
    new.add_argument("--impact", default="", help="customer impact, in words")
    _add_json(new)
    listing = command("list", _incident_list, "list incidents, latest first", incident_commands)
    _add_json(listing)
    setter = command(
        "set", _incident_set, "change one field (logged on the timeline)", incident_commands
    )
    _add_incident_arg(setter)
    setter.add_argument("field", metavar="FIELD", help=", ".join(SETTABLE_FIELDS))
    setter.add_argument(
        "value", metavar="VALUE", help="the new value; services are comma separated"
    )
    _add_json(setter)

    log = command("log", _log, "append an entry to an incident's timeline")
    _add_incident_arg(log)
    log.add_argument("text", nargs="+", metavar="TEXT", help="what happened")
    log.add_argument("--action", default="", help="the action taken")
    log.add_argument("--owner", default="", help="who owns it")
    log.add_argument(
        "--at",
        dest="occurred_at",
        metavar="ISO-8601",
        help="when it happened (default now; UTC unless an offset is given)",
    )
    _add_json(log)

    show = command("show", _show, "print an incident and its timeline")
    _add_incident_arg(show)
    _add_json(show)

    verify = command("verify", _verify, "check every op's hash chain and the tables built from it")
    _add_json(verify)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before or after the command; SUPPRESS keeps a subcommand from resetting them.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="workspace folder (default: $COMMANDER_DATA_DIR or the user data dir)",
    )
    parser.add_argument(
        "--author",
        metavar="NAME",
        default=default,
        help="name written on your changes (default: $COMMANDER_AUTHOR or login)",
    )


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def _add_incident_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "incident", metavar="INCIDENT", help="id, reference, or a unique prefix of either"
    )


# -- commands -------------------------------------------------------------------------------


@contextmanager
def _workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    ws = Workspace.open(
        resolve_data_dir(args.data_dir), author=resolve_author(args.author), zone=local_zone()
    )
    try:
        yield ws
    finally:
        ws.close()


def _gui(args: argparse.Namespace) -> int:
    try:
        from commander.app import run_gui
    except ImportError as exc:
        raise CommanderError(f"the window cannot start here ({exc}).") from exc
    return run_gui(resolve_data_dir(args.data_dir), resolve_author(args.author))


def _incident_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'incident new', 'incident list' or 'incident set'.")


def _demo(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        result = create_demo(ws)
        count = len(IncidentService(ws).timeline(result.incident.id))
    if args.json:
        _print_json({**result.incident.to_json(), "created": result.created, "entries": count})
    elif result.created:
        _print(f"{result.incident.ref}  demo incident loaded ({count} timeline entries)")
    else:
        _print(f"{result.incident.ref}  demo incident already present")
    return 0


def _incident_new(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        declared = IncidentService(ws).declare(
            title=args.title,
            severity=args.severity,
            services=args.services,
            impact=args.impact,
        )
    if args.json:
        _print_json(declared.incident.to_json())
    else:
        _print(declared.incident.id)
    return 0


def _incident_list(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        found = IncidentService(ws).list()
    if args.json:
        _print_json([i.to_json() for i in found])
    elif not found:
        _print("No incidents. Declare one with 'commander incident new' or try 'commander demo'.")
    else:
        rows = [[i.ref, i.severity.value, i.status.label, i.phase.label, i.title] for i in found]
        _print(render_table(["REF", "SEV", "STATUS", "PHASE", "TITLE"], rows))
    return 0


def _incident_set(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        service = IncidentService(ws)
        incident = service.resolve(args.incident)
        changed = service.set_field(incident.id, args.field, args.value)
        incident = service.get(incident.id)
    if args.json:
        _print_json({**incident.to_json(), "changed": bool(changed)})
    elif changed:
        _print(f"{incident.ref}: {args.field.strip().lower()} changed")
    else:
        _print(f"{incident.ref}: {args.field.strip().lower()} already has that value")
    return 0


def _log(args: argparse.Namespace) -> int:
    occurred_at = None
    if args.occurred_at is not None:
        try:
            occurred_at = parse_iso(args.occurred_at)
        except ValueError:
            raise ValidationError(
                f"--at {args.occurred_at!r} is not an ISO-8601 time "
                "(for example 2026-11-28T10:42:00Z)."
            ) from None
    with _workspace(args) as ws:
        service = IncidentService(ws)
        incident = service.resolve(args.incident)
        entry, _ = service.log(
            incident.id,
            " ".join(args.text),
            action=args.action,
            owner=args.owner,
            occurred_at=occurred_at,
        )
    if args.json:
        _print_json({**entry.to_json(), "incident_id": incident.id, "ref": incident.ref})
    else:
        _print(entry.id)
    return 0


def _show(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        service = IncidentService(ws)
        incident = service.resolve(args.incident)
        timeline = service.timeline(incident.id)
        zone = ws.zone
    if args.json:
        _print_json({**incident.to_json(), "timeline": [e.to_json() for e in timeline]})
    else:
        _print(render_incident(incident, timeline, zone))
    return 0


def _verify(args: argparse.Namespace) -> int:
    with _workspace(args) as ws:
        report = verify_workspace(ws)
    if args.json:
        _print_json(report.to_json())
    else:
        _print(render_verify(report))
    return 0 if report.ok else EXIT_ERROR


# -- output ---------------------------------------------------------------------------------


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()  # so a closed pipe is noticed here, inside main's handler


def _print_json(value: Any) -> None:
    _print(json.dumps(value, ensure_ascii=False, indent=2))


def _safe(text: str) -> str:
    """Text for a terminal: a control character from a synced op must not drive it."""
    return "".join(ch if ch == "\n" or (ch >= " " and ch != "\x7f") else "?" for ch in text)


def render_incident(incident: Incident, timeline: list[TimelineEntry], zone: tzinfo) -> str:
    declared = incident.declared_at.astimezone(zone)
    lines = [
        f"{incident.ref}  {incident.severity.value} {incident.severity.level.name}  "
        f"{incident.status.label}  {incident.phase.label}",
        _safe(incident.title),
        f"Id:        {incident.id}",
        f"Declared:  {declared:%Y-%m-%d %H:%M %Z} by {_safe(incident.declared_by)}",
        f"Services:  {_safe(', '.join(incident.services)) or '—'}",
        f"Impact:    {_safe(incident.impact) or '—'}",
        "",
    ]
    rows = []
    for entry in timeline:
        event, action = entry.event, entry.action
        if entry.amended_event is not None:
            event = f"{entry.amended_event} [amended; was: {entry.event}]"
            action = entry.amended_action if entry.amended_action is not None else action
        if entry.struck:
            event = f"[struck: {entry.strike_reason}] {event}"
        when = entry.occurred_at.astimezone(zone)
        rows.append([f"{when:%m-%d %H:%M}", _safe(event), _safe(action), _safe(entry.owner)])
    if rows:
        lines.append(render_table(["TIME", "EVENT", "ACTION TAKEN", "OWNER"], rows))
    else:
        lines.append("No timeline entries.")
    return "\n".join(lines)


def render_verify(report: VerifyReport) -> str:
    lines = []
    for brk in report.breaks:
        lines.append(
            f"BROKEN: op {brk.op_id} (node {brk.node_id}, position {brk.position}): {brk.reason}"
        )
    if report.head_problem:
        lines.append(f"BROKEN: {report.head_problem}")
    for mismatch in report.mismatches:
        lines.append(f"MISMATCH: {mismatch.table} {mismatch.row_id}: {mismatch.detail}")
    hidden = report.mismatch_count - len(report.mismatches)
    if hidden > 0:
        lines.append(f"... and {hidden} more mismatches")
    summary = f"{report.ops_checked} ops on {report.nodes} node(s)"
    lines.append(
        f"OK: {summary}; every chain is intact and the tables match the log."
        if report.ok
        else f"FAILED: {summary}."
    )
    return "\n".join(lines)


def render_table(headers: list[str], rows: list[list[str]], width: int | None = None) -> str:
    """A plain-text table fitted to the terminal; wide cells wrap instead of running off."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    natural = [max([len(h)] + [_longest_line(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = _fit(natural, max(width - 2 * (len(headers) - 1), 10 * len(headers)))
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        cells = [_wrap(cell, w) for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(c) for c in cells)):
            parts = [
                (c[n] if n < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            out.append("  ".join(parts).rstrip())
    return "\n".join(out)


def _fit(natural: list[int], room: int) -> list[int]:
    """Water-filling: narrow columns keep their width, the wide ones share what is left."""
    widths = list(natural)
    order = sorted(range(len(widths)), key=lambda i: natural[i])
    left = room
    for n, i in enumerate(order):
        share = left // (len(order) - n)
        widths[i] = max(min(natural[i], share), min(natural[i], 10))
        left -= widths[i]
    return widths


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [""]
        )
    return lines


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
