"""``commander db check|recover`` and ``commander backup list|create|restore``.

The workspace file's own health: find damaged pages, rebuild from what can be read, and the
rolling backups the window takes (hourly while an incident is active). These commands work
on the file itself and must run while no Commander window has the workspace open.
"""

from __future__ import annotations

import argparse

from commander.cli.common import EXIT_ERROR, CommandFactory, add_json
from commander.cli.output import print_json, print_text, render_table
from commander.config import resolve_author, resolve_data_dir
from commander.core.clock import SystemClock
from commander.services import backups
from commander.services.recovery import check_workspace, recover_workspace


def register(command: CommandFactory) -> None:
    db_commands = _db_subcommands(command)
    if db_commands is not None:
        check = command(
            "check", _db_check, "look for damaged pages in the workspace file", db_commands
        )
        add_json(check)
        recover = command(
            "recover",
            _db_recover,
            "rebuild a damaged workspace from what can be read (the damaged file is kept)",
            db_commands,
        )
        add_json(recover)

    backup = command("backup", _backup_help, "the workspace's rolling backups")
    backup_commands = backup.add_subparsers(title="backup commands", metavar="ACTION")
    add_json(command("list", _backup_list, "list the backups, newest first", backup_commands))
    add_json(command("create", _backup_create, "take a backup now", backup_commands))
    restore = command(
        "restore",
        _backup_restore,
        "put a backup in place of the workspace (the current file is kept)",
        backup_commands,
    )
    restore.add_argument("name", metavar="NAME", help="a name from 'backup list', or latest")
    add_json(restore)


def _db_subcommands(command: CommandFactory) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
    """The ``db`` command's subcommands (``db init`` registers it, in cli/sync.py)."""
    for action in getattr(command, "__defaults__", None) or ():
        db = getattr(action, "choices", {}).get("db") if hasattr(action, "choices") else None
        if isinstance(db, argparse.ArgumentParser):
            for sub in db._actions:
                if isinstance(sub, argparse._SubParsersAction):
                    return sub
    return None


def _backup_help(args: argparse.Namespace) -> int:
    from commander.core.errors import ValidationError

    raise ValidationError("name an action: 'backup list', 'backup create' or 'backup restore'.")


def _db_check(args: argparse.Namespace) -> int:
    result = check_workspace(resolve_data_dir(args.data_dir))
    if args.json:
        print_json(result.to_json())
    elif result.ok:
        print_text(f"{result.path} is sound (quick_check in {result.seconds:.2f} s).")
    else:
        print_text(
            f"{result.path} is damaged: {'; '.join(result.problems)}. "
            "'commander db recover' rebuilds it from what can be read; "
            "'commander backup restore latest' puts the newest backup in its place."
        )
    return 0 if result.ok else EXIT_ERROR


def _db_recover(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    check = check_workspace(data_dir)
    if check.ok:
        if args.json:
            print_json({"recovered": False, "check": check.to_json()})
        else:
            print_text(f"{check.path} is sound; there is nothing to recover.")
        return 0
    report = recover_workspace(
        data_dir, author=resolve_author(args.author, data_dir), clock=SystemClock()
    )
    if args.json:
        print_json({"recovered": True, **report.to_json()})
    else:
        print_text(report.summary())
    return 0


def _backup_list(args: argparse.Namespace) -> int:
    found = backups.list_backups(resolve_data_dir(args.data_dir))
    if args.json:
        print_json([b.to_json() for b in found])
    elif not found:
        print_text("No backups yet; the window takes one hourly while an incident is active.")
    else:
        rows = [
            [b.name, b.taken_at.strftime("%Y-%m-%d %H:%M:%S UTC"), f"{b.size / 1e6:.1f} MB"]
            for b in found
        ]
        print_text(render_table(["name", "taken", "size"], rows))
    return 0


def _backup_create(args: argparse.Namespace) -> int:
    taken = backups.take_backup(resolve_data_dir(args.data_dir), now=SystemClock().now())
    if args.json:
        print_json(taken.to_json())
    else:
        print_text(f"Backed up to {taken.path}.")
    return 0


def _backup_restore(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    chosen = backups.find_backup(data_dir, args.name)
    aside = backups.restore_backup(data_dir, chosen, now=SystemClock().now())
    if args.json:
        print_json({"restored": chosen.to_json(), "replaced_copy": str(aside) if aside else None})
    else:
        kept = f"; the file it replaced is kept as {aside}" if aside else ""
        print_text(
            f"Restored {chosen.name} (taken {chosen.taken_at:%Y-%m-%d %H:%M} UTC){kept}. "
            "Changes made after it are not in it unless sync brings them back."
        )
    return 0
