"""``commander procedure show|validate FILE|load FILE|export``: the procedure as a file.

``validate`` and ``load`` list every problem of a refused file, one per line with its line
number, on stderr; ``load`` writes nothing then.
"""

from __future__ import annotations

import argparse
import sys

from commander.cli.common import (
    EXIT_ERROR,
    PROG,
    CommandFactory,
    add_json,
    input_name,
    open_workspace,
    read_input,
)
from commander.cli.output import one_line, print_json, print_text, render_table, safe
from commander.core.errors import ValidationError
from commander.core.procedure_file import MAX_BYTES, ProcedureError, load_procedure
from commander.core.procedure_model import DeadlineSpec, Duration, Procedure
from commander.services.procedures import LoadedProcedure, ProcedureService


def register(command: CommandFactory) -> None:
    procedure = command("procedure", _help, "the procedure the workspace runs, as a file")
    actions = procedure.add_subparsers(title="procedure actions", metavar="ACTION")
    show = command("show", _show, "the loaded procedure, its version and source", actions)
    add_json(show)
    validate = command("validate", _validate, "check a procedure file; change nothing", actions)
    validate.add_argument("file", metavar="FILE", help="a procedure file (TOML), or - for stdin")
    add_json(validate)
    load = command("load", _load, "check a procedure file and make it the workspace's", actions)
    load.add_argument("file", metavar="FILE", help="a procedure file (TOML), or - for stdin")
    add_json(load)
    command("export", _export, "print the procedure file the workspace runs", actions)


def _help(args: argparse.Namespace) -> int:
    print_text("Actions: show, validate FILE, load FILE, export (see 'commander procedure -h').")
    return 0


def _read(name: str) -> str:
    data = read_input(name, limit=MAX_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{input_name(name)} is not UTF-8 text.") from None


def _refused(exc: ProcedureError) -> int:
    head = str(exc).splitlines()[0]
    print(f"{PROG}: error: {one_line(head)}", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {one_line(problem)}", file=sys.stderr)
    return EXIT_ERROR


def _validate(args: argparse.Namespace) -> int:
    text = _read(args.file)
    try:
        procedure = load_procedure(text, input_name(args.file))
    except ProcedureError as exc:
        return _refused(exc)
    if args.json:
        print_json({"valid": True, "name": procedure.name, "version": procedure.version})
    else:
        print_text(f"{input_name(args.file)} is a valid procedure: {safe(procedure.label)}.")
    return 0


def _load(args: argparse.Namespace) -> int:
    text = _read(args.file)
    with open_workspace(args) as ws:
        try:
            loaded = ProcedureService(ws).load(text, input_name(args.file))
        except ProcedureError as exc:
            return _refused(exc)
    if args.json:
        print_json(loaded.to_json())
    else:
        print_text(
            f"The workspace now runs {safe(loaded.procedure.label)} ({safe(loaded.source)})."
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        loaded = ProcedureService(ws).current()
    if args.json:
        print_json(loaded.to_json())
        return 0
    print_text(describe(loaded))
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        text = ProcedureService(ws).export()
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def describe(loaded: LoadedProcedure) -> str:
    """The procedure in a few tables: what ``procedure show`` prints."""
    p: Procedure = loaded.procedure
    where = "built in" if loaded.builtin else f"loaded from {loaded.source}"
    if loaded.loaded_at is not None:
        where += f" by {loaded.loaded_by} at {loaded.loaded_at:%Y-%m-%d %H:%M} UTC"
    lines = [f"{p.label} ({where})"]
    if p.description:
        lines.append(p.description)
    if loaded.problem:
        lines.append(f"The stored file cannot be read here, the built-in runs: {loaded.problem}")
    rows = [[s.key, s.name, s.response_time_text or "-", s.escalation or "-"] for s in p.severities]
    lines += ["", render_table(["SEVERITY", "NAME", "RESPONSE", "ESCALATION"], rows)]
    if p.types:
        lines += ["", "Incident types: " + ", ".join(f"{t.name} ({t.key})" for t in p.types)]
    rules = []
    for rule in p.deadlines:
        timing = "not applicable" if rule.not_applicable else _timing(rule)
        rules.append([rule.key, rule.name, rule.anchor, timing, rule.when.why(), rule.cite or "-"])
    lines += ["", render_table(["DEADLINE", "NAME", "ANCHOR", "DUE", "WHEN", "CITES"], rules)]
    if p.fields:
        fields = [[f.key, f.name, f.type, f.required] for f in p.fields]
        lines += ["", render_table(["FIELD", "NAME", "TYPE", "REQUIRED AT"], fields)]
    lines += [
        "",
        f"Roles: {len(p.roles)}, checklists: {len(p.checklists)}, templates: {len(p.templates)}",
    ]
    return "\n".join(safe(line) for line in lines)


def _timing(rule: DeadlineSpec) -> str:
    if rule.next_business_day:
        return "next business day"
    span = rule.cadence or rule.offset
    if span is None:
        return "-"
    return f"every {span_text(span)}" if rule.cadence else f"+{span_text(span)}"


def span_text(span: Duration) -> str:
    """``1d2h``, ``30m``, ``1mo``: a duration as the file would write it."""
    minutes = int(span.exact.total_seconds() // 60)
    parts = [f"{span.months}mo"] if span.months else []
    units = (("d", 1440), ("h", 60), ("m", 1)) if minutes >= 4 * 1440 else (("h", 60), ("m", 1))
    for unit, size in units:
        if minutes >= size:
            parts.append(f"{minutes // size}{unit}")
            minutes %= size
    return "".join(parts) or "0m"
