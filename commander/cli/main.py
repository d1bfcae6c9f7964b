"""The ``commander`` command: the GUI by default, and every scriptable action as a subcommand.

Parsing and printing only; the work happens in services. Every failure a user can cause
(bad input, a damaged or newer workspace, an unwritable directory) ends as one line on
stderr, ``commander: error: <message>``, and exit status 1 (2 for usage errors). This package
must stay cheap to import: no Qt, matplotlib or Alembic until a command needs them.

Each feature adds its commands in its own module through ``register(command)``; this module
only wires them together and turns failures into one line. A command's module is imported
only when that command runs (``commands.py`` lists them all for ``--help``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sqlite3
import sys
from collections.abc import Collection, Sequence
from typing import Any, NoReturn

from commander import __version__
from commander.cli.commands import COMMANDS, MODULES, modules_for
from commander.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    CommandFactory,
    Handler,
    add_global_options,
)
from commander.cli.output import one_line
from commander.config import resolve_author, resolve_data_dir
from commander.core.errors import CommanderError

ENV_DEBUG = "COMMANDER_DEBUG"
ENV_SMOKE_TEST = "COMMANDER_SMOKE_TEST"  # 1: like 'gui --smoke-test', for the plain start command


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line like every other error."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # Python < 3.13 drops a second "--" (the value "--" after the separator) and hands
        # the command an empty list where it expects a string; keep it as the value it is.
        original = list(arg_strings)
        value = super()._get_values(action, arg_strings)
        if value == [] and original == ["--"] and action.nargs in (None, "+"):
            return "--" if action.nargs is None else ["--"]
        return value

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_USAGE, f"{PROG}: error: {one_line(message)}{hint}\n")


# -- entry point ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status instead of raising ``SystemExit``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(modules_for(argv) or ()).parse_args(argv)
        if getattr(args, "lazy_command", None):  # argv named it in a way modules_for missed
            args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Handler = getattr(args, "handler", gui)
    try:
        _check_arguments_are_text(args)
        return handler(args)
    except CommanderError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except sqlite3.Error as exc:
        return _fail(f"the workspace failed: {exc}")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}")
    except Exception as exc:
        if _is_sqlalchemy_error(exc):
            return _fail(f"the workspace failed: {getattr(exc, 'orig', None) or exc}")
        if os.environ.get(ENV_DEBUG):
            raise
        return _fail(
            f"unexpected {type(exc).__name__}: {exc} (set {ENV_DEBUG}=1 to see the traceback)"
        )


def _is_sqlalchemy_error(exc: Exception) -> bool:
    """SQLAlchemy's errors, without importing it for commands that never touch it."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


PATH_DESTS = frozenset({"file", "out", "output", "data_dir"})
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_arguments_are_text(args: argparse.Namespace) -> None:
    """Bytes in argv that are not UTF-8 arrive as lone surrogates, which no database, file or
    terminal takes: refuse them here, once, instead of failing deep inside a command. File
    names are exempt (a file may be named in another encoding)."""
    for dest, value in vars(args).items():
        if dest in PATH_DESTS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _SURROGATE.search(item):
                raise CommanderError(
                    f"The {dest.replace('_', ' ')} argument is not valid text "
                    "(it holds bytes that are not UTF-8)."
                )


def _fail(message: str) -> int:
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
    return EXIT_ERROR


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# -- the parser -----------------------------------------------------------------------------


def build_parser(modules: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full commands of ``modules`` (default: every one).

    The other commands are listed by name and summary only (``commands.COMMANDS``), so
    their modules are not imported; parsing one of them sets ``lazy_command``.
    """
    parser = _Parser(prog=PROG, description="Incident commander console.")
    add_global_options(parser, top=True)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Handler, help_text: str, where: Any = commands
    ) -> argparse.ArgumentParser:
        sub = where.add_parser(name, help=help_text, description=help_text)
        add_global_options(sub, top=False)
        sub.set_defaults(handler=handler)
        return sub

    gui_command = command("gui", gui, "open the Commander window (the default)")
    gui_command.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, then quit as soon as it runs (checks an installed bundle)",
    )
    factory: CommandFactory = command
    wanted = set(MODULES if modules is None else modules)
    for module in MODULES:
        if module in wanted:
            importlib.import_module(f"commander.cli.{module}").register(factory)
            continue
        for name, owners, summary in COMMANDS:
            if owners[0] == module:
                listed = commands.add_parser(name, help=summary, add_help=False)
                listed.add_argument("lazy_rest", nargs=argparse.REMAINDER)
                listed.set_defaults(lazy_command=name)
    return parser


def gui(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    try:
        from commander.app import run_gui
    except ImportError as exc:
        raise CommanderError(f"the window cannot start here ({exc}).") from exc
    return run_gui(  # the workspace's quick_check runs once the window has painted
        data_dir,
        resolve_author(args.author, data_dir),
        smoke_test=getattr(args, "smoke_test", False) or os.environ.get(ENV_SMOKE_TEST) == "1",
    )
