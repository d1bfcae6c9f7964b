"""Commands on checklists and runbooks: ``checklist`` (show, tick, untick, list, add-step,
edit, remove-step, move-step, new, restore, delete) and ``runbook`` (show, set, ran).

``runbook show`` prints the commands filled for an incident; nothing here ever runs one.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from commander.cli.common import (
    CommandFactory,
    add_incident_arg,
    add_json,
    checked_first,
    with_workspace,
)
from commander.cli.output import print_json, print_text, render_table, safe
from commander.core.errors import ValidationError
from commander.core.policy import Phase, parse_phase
from commander.core.runbooks import check_name
from commander.services.checklists import ChecklistService
from commander.services.incidents import IncidentService
from commander.services.runbooks import RunbookService, RunbookStep

STEP_HELP = "step key, number (e.g. 2.3), text, or a fragment only it contains"

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    checklist = command("checklist", _checklist_help, "the procedure's checklists per incident")
    actions = checklist.add_subparsers(title="checklist actions", metavar="ACTION")
    show = command("show", _show, "an incident's checklists with what is done", actions)
    add_incident_arg(show)
    show.add_argument("--phase", help="only this phase (detection, investigation ...)")
    add_json(show)
    for name, handler, text in (
        ("tick", _tick, "mark a step done (logged on the timeline)"),
        ("untick", _untick, "mark a step not done again (logged on the timeline)"),
    ):
        sub = command(name, handler, text, actions)
        add_incident_arg(sub)
        sub.add_argument("step", metavar="STEP", help=STEP_HELP)
        add_json(sub)
    listing = command("list", _list, "every checklist of the workspace and its steps", actions)
    add_json(listing)
    add = command("add-step", _add_step, "add a step to a checklist", actions)
    add.add_argument("checklist", metavar="CHECKLIST", help="key, number or title")
    add.add_argument("text", metavar="TEXT")
    _step_options(add)
    add.add_argument("--after", metavar="STEP", help="place it after this step")
    edit = command("edit", _edit, "rename a step or change its detail or command", actions)
    edit.add_argument("step", metavar="STEP", help=STEP_HELP)
    edit.add_argument("--text")
    _step_options(edit)
    remove = command("remove-step", _remove, "take a step out of its checklist", actions)
    remove.add_argument("step", metavar="STEP", help=STEP_HELP)
    move = command("move-step", _move, "move a step within its checklist", actions)
    move.add_argument("step", metavar="STEP", help=STEP_HELP)
    move.add_argument("position", metavar="POSITION", type=int, help="1 is the top")
    new = command("new", _new, "add a checklist of your own", actions)
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--phase", required=True)
    restore = command("restore", _restore, "the procedure's version of a checklist", actions)
    restore.add_argument("checklist", metavar="CHECKLIST")
    delete = command("delete", _delete, "delete a checklist you added", actions)
    delete.add_argument("checklist", metavar="CHECKLIST")

    runbook = command("runbook", _runbook_help, "diagnostic and recovery commands to copy")
    r_actions = runbook.add_subparsers(title="runbook actions", metavar="ACTION")
    r_show = command("show", _runbook_show, "the commands filled for an incident", r_actions)
    add_incident_arg(r_show)
    r_show.add_argument("--phase")
    add_json(r_show)
    r_set = command("set", _runbook_set, "give a placeholder its value for an incident", r_actions)
    add_incident_arg(r_set)
    r_set.add_argument("name", metavar="NAME", help="e.g. namespace or <pod-name>")
    r_set.add_argument("value", metavar="VALUE")
    ran = command("ran", _runbook_ran, "log that you ran a step's command", r_actions)
    add_incident_arg(ran)
    ran.add_argument("step", metavar="STEP", help=STEP_HELP)
    add_json(ran)


def _step_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--detail")
    parser.add_argument("--command", help="a command to copy (placeholders as <name>)")
    parser.add_argument(
        "--destructive",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ask for a confirmation before copying its command",
    )


def _checklist_help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'checklist show', 'tick', 'untick', 'list', 'add-step', 'edit', "
        "'remove-step', 'move-step', 'new', 'restore' or 'delete'."
    )


def _runbook_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'runbook show', 'set' or 'ran'.")


def _phase(text: str | None) -> Phase | None:
    return parse_phase(text) if text else None


@with_workspace
def _show(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    progress = ChecklistService(ws).progress(incident.id, _phase(args.phase))
    if args.json:
        print_json({"incident": incident.ref, **progress.to_json()})
        return 0
    lines = [f"{incident.ref} — {incident.title}"]
    for checklist in progress.checklists:
        c = checklist.checklist
        lines.append("")
        lines.append(f"{c.phase.label} · {c.title}  {checklist.done}/{checklist.total}")
        for state in checklist.steps:
            mark = "[x]" if state.done else "[ ]"
            detail = f" — {state.step.detail}" if state.step.detail else ""
            lines.append(f"  {mark} {state.ref.number:>5}  {state.step.text}{detail}")
    print_text(safe("\n".join(lines)))
    return 0


@with_workspace
def _tick(args: argparse.Namespace, ws: Workspace) -> int:
    return _mark(args, ws, done=True)


@with_workspace
def _untick(args: argparse.Namespace, ws: Workspace) -> int:
    return _mark(args, ws, done=False)


def _mark(args: argparse.Namespace, ws: Workspace, *, done: bool) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = ChecklistService(ws)
    ref = service.find(args.step)
    changed = bool(service.tick(incident.id, ref.step.key, done))
    word = "done" if done else "not done"
    if args.json:
        print_json({"step": ref.step.key, "number": ref.number, "done": done, "changed": changed})
    else:
        already = "" if changed else " (already)"
        print_text(safe(f"{incident.ref}: {ref.number} {ref.step.text} — {word}{already}"))
    return 0


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    checklists = ChecklistService(ws).checklists()
    if args.json:
        print_json([c.to_json() for c in checklists])
        return 0
    rows = []
    for n, c in enumerate(checklists, start=1):
        origin = "procedure (edited)" if c.edited else "procedure" if c.builtin else "workspace"
        rows.append([str(n), c.phase.label, c.title, str(len(c.steps)), origin, c.key])
    print_text(safe(render_table(["#", "Phase", "Checklist", "Steps", "From", "Key"], rows)))
    return 0


def _changes(args: argparse.Namespace) -> dict[str, object]:
    found = {
        "text": getattr(args, "text", None),
        "detail": args.detail,
        "command": args.command,
        "destructive": args.destructive,
    }
    return {key: value for key, value in found.items() if value is not None}


@with_workspace
def _add_step(args: argparse.Namespace, ws: Workspace) -> int:
    ref = ChecklistService(ws).add_step(
        args.checklist,
        args.text,
        detail=args.detail or "",
        command=args.command or "",
        destructive=bool(args.destructive),
        after=args.after,
    )
    print_text(safe(f"Added {ref.number} {ref.step.text} to {ref.checklist.title}"))
    return 0


def _check_edit(args: argparse.Namespace) -> None:
    if not _changes(args):
        raise ValidationError("say what to change: --text, --detail, --command or --destructive.")


@checked_first(_check_edit)
@with_workspace
def _edit(args: argparse.Namespace, ws: Workspace) -> int:
    changes = _changes(args)
    ref = ChecklistService(ws).edit_step(args.step, **changes)
    print_text(safe(f"Changed {ref.number} {ref.step.text}"))
    return 0


@with_workspace
def _remove(args: argparse.Namespace, ws: Workspace) -> int:
    ref = ChecklistService(ws).remove_step(args.step)
    print_text(safe(f"Removed {ref.step.text} from {ref.checklist.title}"))
    return 0


@with_workspace
def _move(args: argparse.Namespace, ws: Workspace) -> int:
    ref = ChecklistService(ws).move_step(args.step, args.position)
    print_text(safe(f"{ref.step.text} is now {ref.number}"))
    return 0


@with_workspace
def _new(args: argparse.Namespace, ws: Workspace) -> int:
    checklist = ChecklistService(ws).new_checklist(args.title, parse_phase(args.phase))
    print_text(safe(f"Added checklist {checklist.title} ({checklist.key})"))
    return 0


@with_workspace
def _restore(args: argparse.Namespace, ws: Workspace) -> int:
    checklist = ChecklistService(ws).restore_default(args.checklist)
    print_text(safe(f"{checklist.title}: the procedure's steps again"))
    return 0


@with_workspace
def _delete(args: argparse.Namespace, ws: Workspace) -> int:
    checklist = ChecklistService(ws).delete_checklist(args.checklist)
    print_text(safe(f"Deleted checklist {checklist.title}"))
    return 0


@with_workspace
def _runbook_show(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    steps = RunbookService(ws).steps(incident.id, _phase(args.phase))
    if args.json:
        print_json({"incident": incident.ref, "steps": [s.to_json() for s in steps]})
        return 0
    blocks = [f"{incident.ref} — commands to copy (Commander never runs them)"]
    for step in steps:
        blocks.append(_runbook_block(step))
    print_text(safe("\n\n".join(blocks)))
    return 0


def _runbook_block(step: RunbookStep) -> str:
    ref = step.ref
    done = "[x]" if step.done else "[ ]"
    lines = [f"{done} {ref.number}  {step.title}"]
    if step.destructive:
        lines.append(f"    DESTRUCTIVE: {'; '.join(step.reasons)}")
    lines.append(f"    $ {step.filled.preview}")
    if step.missing:
        names = ", ".join(f"<{n}>" for n in step.missing)
        lines.append(f"    needs {names}: commander runbook set INCIDENT NAME VALUE")
    return "\n".join(lines)


@with_workspace
def _runbook_set(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    service = RunbookService(ws)
    service.set_value(incident.id, args.name, args.value)
    name = check_name(args.name)
    value = service.values(incident.id)[name]
    print_text(safe(f"{incident.ref}: <{name}> = {value}"))
    return 0


@with_workspace
def _runbook_ran(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    step, _changes = RunbookService(ws).ran(incident.id, args.step)
    if args.json:
        print_json(step.to_json())
    else:
        print_text(safe(f"{incident.ref}: logged ran: {step.text}"))
    return 0
