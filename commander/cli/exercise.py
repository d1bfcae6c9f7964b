"""``commander exercise``: practise the procedure in a separate, marked workspace.

- ``exercise SCENARIO [--speed N]`` starts a practice run (a shipped scenario by name, or a
  scenario file) and replays its injects here as they fall due; ``--no-wait`` only makes the
  workspace and prints where it is, for the window (``commander --data-dir DIR``) to run it.
- ``exercise list`` names the shipped scenarios and the exercises made so far.
- ``exercise from INC -o FILE`` writes a past incident as a scenario file.
- ``exercise debrief [--data-dir EXERCISE_DIR]`` prints the debrief (default: the newest).
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from pathlib import Path

from commander.cli.common import CommandFactory, add_json, checked_first, read_input, with_workspace
from commander.cli.output import print_json, print_text
from commander.config import resolve_author, resolve_data_dir, resolve_display_zone
from commander.core.clock import SystemClock
from commander.core.errors import ValidationError
from commander.core.scenario_file import MAX_BYTES, builtin_names, builtin_text, dump_scenario
from commander.core.scenario_model import format_offset
from commander.services.exercise.debrief import debrief, render_debrief
from commander.services.exercise.from_incident import scenario_from_incident
from commander.services.exercise.replay import ExerciseReplay, exercise_dirs, start_exercise
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage.database import DB_FILENAME

ACTIONS = ("list", "from", "debrief", "end")
POLL_S = 0.5


def register(command: CommandFactory) -> None:
    exercise = command(
        "exercise",
        _exercise,
        "practise the procedure: 'exercise SCENARIO', 'exercise list', "
        "'exercise from INC -o FILE', 'exercise end', 'exercise debrief'",
    )
    exercise.add_argument(
        "target",
        metavar="SCENARIO|list|from|end|debrief",
        help=f"a shipped scenario ({', '.join(builtin_names())}), a scenario file, or an action",
    )
    exercise.add_argument("incident", metavar="INC", nargs="?", help="for 'from': the incident")
    exercise.add_argument(
        "--speed", type=float, default=1.0, metavar="1..60", help="how much faster than real time"
    )
    exercise.add_argument(
        "--no-wait", action="store_true", help="make the exercise workspace and return at once"
    )
    exercise.add_argument(
        "-o", "--output", metavar="FILE", help="for 'from': the scenario file to write"
    )
    add_json(exercise)


def _exercise(args: argparse.Namespace) -> int:
    if args.target == "list":
        return _list(args)
    if args.target == "from":
        return _from(args)
    if args.target == "debrief":
        return _debrief(args)
    if args.target == "end":
        return _end(args)
    if args.incident is not None:
        raise ValidationError(f"Unexpected {args.incident!r}: only 'from' takes an incident.")
    return _start(args)


def _list(args: argparse.Namespace) -> int:
    made = [str(p) for p in exercise_dirs(resolve_data_dir(args.data_dir))]
    if args.json:
        print_json({"scenarios": builtin_names(), "exercises": made})
        return 0
    print_text("Shipped scenarios: " + ", ".join(builtin_names()))
    print_text("Exercises: " + (", ".join(made) if made else "none yet"))
    return 0


def _scenario_text(target: str) -> tuple[str, str]:
    if target in builtin_names():
        return builtin_text(target), target
    if not Path(target).exists():
        names = ", ".join(builtin_names())
        raise ValidationError(f"No scenario {target!r}: name a file or one of {names}.")
    data = read_input(target, limit=MAX_BYTES)
    try:
        return data.decode("utf-8"), target
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{target} is not UTF-8 text.") from exc


def _start(args: argparse.Namespace) -> int:
    text, source = _scenario_text(args.target)
    data_dir = resolve_data_dir(args.data_dir)
    ws = start_exercise(
        data_dir,
        text,
        source,
        speed=args.speed,
        author=resolve_author(args.author, data_dir),
        clock=SystemClock(),
        zone=resolve_display_zone(data_dir),
    )
    try:
        replay = ExerciseReplay(ws)
        if args.json:
            print_json({"exercise_dir": str(ws.data_dir), "scenario": replay.scenario.title})
        else:
            print_text(f"EXERCISE {replay.scenario.title} at {args.speed:g}x in {ws.data_dir}")
            print_text(f"Work it in another window: commander --data-dir {ws.data_dir}")
        if args.no_wait:
            return 0
        _replay(ws, replay, quiet=args.json)
    finally:
        ws.close()
    return 0


def _replay(ws: Workspace, replay: ExerciseReplay, *, quiet: bool) -> None:
    """Apply injects as they fall due until the last one is in (Ctrl+C stops it)."""
    while True:
        step = replay.apply_due()
        for inject in step.applied:
            if not quiet:
                print_text(f"[{format_offset(inject.at)}] {inject.describe()}")
        if step.finished:
            break
        time.sleep(POLL_S)
    if not quiet:
        print_text(
            "All injects are in. When the team stops: commander exercise end, then "
            f"commander exercise debrief (--data-dir {ws.data_dir})"
        )


def _check_from(args: argparse.Namespace) -> None:
    if not args.incident or not args.output:
        raise ValidationError("Write it as: commander exercise from INC -o FILE.")


@checked_first(_check_from)
@with_workspace
def _from(args: argparse.Namespace, ws: Workspace) -> int:
    incident = IncidentService(ws).resolve(args.incident)
    scenario = scenario_from_incident(ws, incident.id)
    text = dump_scenario(scenario)
    if args.output == "-":
        print_text(text.rstrip("\n"))
        return 0
    target = Path(args.output)
    if target.exists():
        raise ValidationError(f"{target} exists already; name a new file.")
    try:
        target.write_text(text, "utf-8")
    except OSError as exc:
        raise ValidationError(f"Could not write {target}: {exc.strerror}.") from exc
    if args.json:
        print_json(
            {"incident": incident.ref, "output": str(target), "injects": len(scenario.injects)}
        )
    else:
        print_text(
            f"{incident.ref}: scenario with {len(scenario.injects)} injects written to {target}"
        )
    return 0


def _open_exercise(args: argparse.Namespace) -> Workspace:
    """The exercise folder named, or the newest exercise made from the workspace named."""
    data_dir = resolve_data_dir(args.data_dir)
    made = exercise_dirs(data_dir)
    if made:
        data_dir = made[0]
    elif not (data_dir / DB_FILENAME).exists():
        raise ValidationError(
            f"{data_dir} holds no exercise: start one with 'commander exercise SCENARIO'."
        )
    return Workspace.open(
        data_dir, author=resolve_author(args.author, data_dir), zone=resolve_display_zone(data_dir)
    )


def _end(args: argparse.Namespace) -> int:
    ws = _open_exercise(args)
    try:
        replay = ExerciseReplay(ws)
        was_ended = replay.ended
        at = replay.end()
    finally:
        ws.close()
    elapsed = format_offset(timedelta(seconds=round((at - replay.started_at).total_seconds())))
    if args.json:
        print_json(
            {
                "exercise_dir": str(ws.data_dir),
                "ended_after_s": (at - replay.started_at).total_seconds(),
            }
        )
    else:
        verb = "had ended" if was_ended else "ended"
        print_text(f"EXERCISE {replay.scenario.title} {verb} after {elapsed} of exercise time.")
    return 0


def _debrief(args: argparse.Namespace) -> int:
    ws = _open_exercise(args)
    try:
        report = debrief(ws)
    finally:
        ws.close()
    if args.json:
        print_json(report.to_json())
    else:
        print_text(render_debrief(report))
    return 0
