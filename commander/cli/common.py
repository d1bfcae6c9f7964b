"""What every command module shares: exit codes, global options, the workspace."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from commander.config import resolve_author, resolve_data_dir, resolve_display_zone
from commander.core.limits import check_size

if TYPE_CHECKING:  # imported when a command opens one: '--help' stays light
    from commander.services.workspace import Workspace

PROG = "commander"
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

Handler = Callable[[argparse.Namespace], int]
WorkspaceHandler = Callable[[argparse.Namespace, "Workspace"], int]


class CommandFactory(Protocol):
    """Adds a subcommand (under ``where``, default the top level) and returns its parser."""

    def __call__(
        self, name: str, handler: Handler, help_text: str, where: Any = ...
    ) -> argparse.ArgumentParser: ...


def add_global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
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


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def add_incident_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "incident", metavar="INCIDENT", help="id, reference, or a unique prefix of either"
    )


@contextmanager
def open_workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    from commander.services.workspace import Workspace

    data_dir = resolve_data_dir(args.data_dir)
    ws = Workspace.open(
        data_dir,
        author=resolve_author(args.author, data_dir),
        zone=resolve_display_zone(data_dir),
    )
    try:
        yield ws
    finally:
        ws.close()


def with_workspace(handler: WorkspaceHandler) -> Handler:
    """A command that works on the workspace: opens it from the global options, hands it to
    ``handler`` and closes it however the handler ends. Errors are not caught here: ``main``
    maps each to its one sentence and exit code, the same for every command."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        with open_workspace(args) as ws:
            return handler(args, ws)

    return run


def checked_first(check: Callable[[argparse.Namespace], object]) -> Callable[[Handler], Handler]:
    """Run ``check`` (it raises to refuse the arguments) before ``handler``: above
    ``with_workspace``, a refused command opens, and so creates, no workspace."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(args: argparse.Namespace) -> int:
            check(args)
            return handler(args)

        return run

    return decorate


def read_input(name: str, *, limit: int) -> bytes:
    """The bytes of FILE, or of stdin for ``-``; never more than ``limit`` (docs/limits.md)."""
    from commander.services.files import read_bounded

    if name == "-":
        binary = getattr(sys.stdin, "buffer", None)  # absent when stdin is replaced by text
        data = (
            binary.read(limit + 1)
            if binary is not None
            else sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
        )
        return check_size(data, limit=limit, what="stdin")
    return read_bounded(name, limit=limit)


def input_name(name: str) -> str:
    return "stdin" if name == "-" else name
