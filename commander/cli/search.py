"""``search``: find text anywhere in every incident's record, grouped by incident; ``similar``:
the past incidents that resemble one, why, and what was done about them.

The match is shown in reverse video on a terminal (``--color``; brackets when the output is
piped or ``NO_COLOR`` is set), so the line reads the same whether or not colour is on.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    checked_first,
    with_workspace,
)
from commander.cli.output import print_json, print_text, safe
from commander.cli.review import parse_when
from commander.cli.severity_text import names_of
from commander.core.errors import ValidationError
from commander.core.policy import Severity, Status
from commander.core.search_text import Marked
from commander.services.incidents import IncidentService
from commander.services.search import (
    DEFAULT_LIMIT,
    SearchFilters,
    SearchResults,
    SearchService,
    parse_severities,
    parse_statuses,
)
from commander.services.similar import SimilarIncident, SimilarService
from commander.services.workspace import Workspace

MARK_ON = "\x1b[1;7m"  # bold, reverse video
MARK_OFF = "\x1b[0m"


def register(command: CommandFactory) -> None:
    search = command(
        "search",
        _search,
        "find text anywhere in every incident: titles, timeline, review, action items, "
        "messages sent, alerts",
    )
    search.add_argument(
        "query",
        metavar="QUERY",
        nargs="+",
        help="words to find (each must appear, in any part of a word; 3 characters or more)",
    )
    search.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="SEV",
        help="only incidents of this severity (the procedure's key or name: P1, SEV2, major); "
        "repeat for several",
    )
    search.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        help=f"only incidents in this status ({', '.join(s.value for s in Status)}); "
        "repeat for several",
    )
    search.add_argument("--service", default="", help="only incidents affecting this service")
    search.add_argument(
        "--since", metavar="WHEN", help="only incidents declared from then on ('YYYY-MM-DD')"
    )
    search.add_argument(
        "--until", metavar="WHEN", help="only incidents declared before then ('YYYY-MM-DD')"
    )
    search.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"at most this many matches, newest first (default {DEFAULT_LIMIT})",
    )
    search.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="highlight matches in reverse video (auto: on a terminal, unless NO_COLOR is set)",
    )
    add_json(search)
    similar = command(
        "similar",
        _similar,
        "up to five earlier incidents that resemble an incident, why, and what was done then",
    )
    add_incident_arg(similar)
    add_json(similar)


def _when(text: str | None, ws: Workspace) -> datetime | None:
    return None if not text else parse_when(text, ws)


def _colour(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def marked_text(marked: Marked, colour: bool) -> str:
    """The text safe for a terminal, each match in reverse video or between brackets."""
    clean = Marked(safe(marked.text), marked.spans)  # same length: spans stay valid
    return clean.bracketed(MARK_ON, MARK_OFF) if colour else clean.bracketed()


def render(results: SearchResults, ws: Workspace, *, colour: bool) -> str:
    """Each incident on one line, its matches indented under it, then the summary."""
    lines: list[str] = []
    names = names_of(ws)
    for group in results.groups:
        declared = group.declared_at.astimezone(ws.zone).strftime("%Y-%m-%d")
        lines.append(
            safe(
                f"{group.ref}  {names.key(Severity(group.severity))}  {group.status}  "
                f"{declared}  {group.title}"
            )
        )
        for hit in group.hits:
            when = hit.at.astimezone(ws.zone).strftime("%Y-%m-%d %H:%M")
            lines.append(f"  {when}  {safe(hit.label)}: {marked_text(hit.marked, colour)}")
    lines.append(results.summary() if results.groups else f"No match for {results.query!r}.")
    return "\n".join(lines)


def _check_search(args: argparse.Namespace) -> None:
    if args.limit < 1:
        raise ValidationError("--limit must be 1 or more.")


@checked_first(_check_search)
@with_workspace
def _search(args: argparse.Namespace, ws: Workspace) -> int:
    filters = SearchFilters(
        severities=parse_severities(args.severity, names_of(ws)),
        statuses=parse_statuses(args.status),
        service=args.service,
        since=_when(args.since, ws),
        until=_when(args.until, ws),
    )
    results = SearchService(ws).search(" ".join(args.query), filters, limit=args.limit)
    if args.json:
        print_json(results.to_json())
    else:
        print_text(render(results, ws, colour=_colour(args.color)))
    return 0


def render_similar(found: list[SimilarIncident], ws: Workspace) -> list[str]:
    """Each past incident: its line, why it resembles, and what was found and done then."""
    lines: list[str] = []
    names = names_of(ws)
    for item in found:
        past = item.incident
        declared = past.declared_at.astimezone(ws.zone).strftime("%Y-%m-%d")
        lines.append(
            f"{past.ref}  {names.key(past.severity)}  {declared}  {item.duration_text}  "
            f"{past.title}"
        )
        lines.append(f"  why: {item.explanation}")
        if item.root_cause:
            lines.append(f"  root cause: {item.root_cause}")
        if item.resolution:
            lines.append(f"  resolution: {item.resolution}")
        if item.runbook_steps:
            lines.append(f"  runbook steps run: {'; '.join(item.runbook_steps)}")
    return [safe(line) for line in lines]


@with_workspace
def _similar(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    found = SimilarService(ws).for_incident(incident.id)
    if args.json:
        print_json(
            {
                "incident_id": incident.id,
                "ref": incident.ref,
                "similar": [item.to_json() for item in found],
            }
        )
    elif not found:
        print_text(safe(f"No earlier incident resembles {incident.ref}."))
    else:
        print_text("\n".join(render_similar(found, ws)))
    return 0
