"""Key events and open questions from the command line: ``key`` and ``questions``.

``commander log INC TEXT --kind decision`` writes a kind, ``--answers ENTRY`` an answer (in
``cli/incidents.py``); here an entry is marked key (or unmarked with ``--off``) and an
incident's unanswered questions are listed, oldest first, with how long each has waited.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from commander.cli.common import CommandFactory, add_incident_arg, add_json, with_workspace
from commander.cli.output import print_json, print_text, render_table, safe
from commander.services.incidents import IncidentService
from commander.services.questions import QuestionService, age_text, short_id

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    key = command("key", _key, "mark a timeline entry as a key event (--off: unmark it)")
    key.add_argument(
        "entry", metavar="ENTRY", help="the entry's id, or the end of it that 'show' prints"
    )
    key.add_argument("--off", action="store_true", help="unmark it")
    add_json(key)
    questions = command("questions", _questions, "an incident's open questions, oldest first")
    add_incident_arg(questions)
    add_json(questions)


@with_workspace
def _key(args: argparse.Namespace, ws: Workspace) -> int:
    entry = QuestionService(ws).resolve_entry(args.entry)
    changes = IncidentService(ws).mark_key(entry.id, not args.off)
    entry = IncidentService(ws).entries([entry.id])[0]
    if args.json:
        print_json({**entry.to_json(), "changed": bool(changes)})
        return 0
    state = "a key event" if entry.key_event else "not a key event"
    already = "" if changes else "already "
    print_text(f"{short_id(entry.id)}  {already}{state}: {safe(entry.event)}")
    return 0


@with_workspace
def _questions(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    found = QuestionService(ws).open_questions(incident.id)
    zone = ws.zone
    if args.json:
        print_json([q.to_json() for q in found])
    elif not found:
        print_text(f"{incident.ref}: no open questions.")
    else:
        rows = [
            [
                f"{q.entry.occurred_at.astimezone(zone):%m-%d %H:%M}",
                age_text(q.age),
                safe(q.text),
                safe(q.entry.attributed_to or q.entry.author),
                short_id(q.entry.id),
            ]
            for q in found
        ]
        print_text(render_table(["ASKED", "OPEN FOR", "QUESTION", "ASKED BY", "ID"], rows))
    return 0
