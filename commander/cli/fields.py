"""``commander field INCIDENT [KEY VALUE | KEY --clear]``: an incident's type and custom fields.

The keys are the workspace procedure's (``type`` and each ``[[field]]``); setting one
re-evaluates the procedure's conditions, and the timeline says which deadlines it added or
retired, and why.
"""

from __future__ import annotations

import argparse

from commander.cli.common import CommandFactory, add_incident_arg, add_json, open_workspace
from commander.cli.output import print_json, print_text, render_table, safe
from commander.core.deadline_facts import TYPE_FIELD
from commander.core.errors import ValidationError
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService


def register(command: CommandFactory) -> None:
    field = command(
        "field", _field, "an incident's type and the procedure's custom fields: list or set"
    )
    add_incident_arg(field)
    field.add_argument("key", nargs="?", metavar="KEY", help="'type' or a field of the procedure")
    field.add_argument("value", nargs="?", metavar="VALUE", help="the value (choices: a, b)")
    field.add_argument("--clear", action="store_true", help="empty the field")
    add_json(field)


def _field(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        incident = IncidentService(ws).resolve(args.incident)
        deadlines = deadline_service_for(ws)
        service = IncidentFieldService(ws, deadlines)
        if args.key is not None:
            if args.value is None and not args.clear:
                raise ValidationError(f"Give a value for {args.key!r}, or --clear to empty it.")
            service.set(incident.id, args.key.strip(), None if args.clear else args.value)
        values = service.values(incident.id)
        procedure = ProcedureService(ws).current().procedure
    rows = [[TYPE_FIELD, "Type", "choice", "never", values.get(TYPE_FIELD) or "-"]]
    for spec in procedure.fields:
        shown = values.get(spec.key)
        text = ", ".join(shown) if isinstance(shown, list) else shown
        rows.append([spec.key, spec.name, spec.type, spec.required, text or "-"])
    if args.json:
        print_json({row[0]: values.get(row[0]) for row in rows})
        return 0
    print_text(safe(render_table(["KEY", "NAME", "TYPE", "REQUIRED AT", "VALUE"], rows)))
    return 0
