"""``commander display``: the war-room screen, read-only, full screen."""

from __future__ import annotations

import argparse

from commander.cli.common import CommandFactory
from commander.config import resolve_author, resolve_data_dir
from commander.core.errors import CommanderError, ValidationError


def register(command: CommandFactory) -> None:
    display = command(
        "display", _display, "open the read-only war-room display (full screen; Esc leaves it)"
    )
    display.add_argument(
        "--incident",
        metavar="INCIDENT",
        default=None,
        help="show only this incident (default: every active one, highest severity first)",
    )
    display.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="follow the shared database (a user with the read-only commander_display role)",
    )
    display.add_argument(
        "--peer",
        metavar="HOST:PORT",
        default=None,
        help="follow a peer laptop instead (its key and this display's are admitted once, "
        "as for 'commander peer sync')",
    )
    display.add_argument(
        "--screen", metavar="N", type=int, default=None, help="screen number (default: primary)"
    )
    display.add_argument(
        "--rotate",
        metavar="SECONDS",
        type=float,
        default=20.0,
        help="seconds per incident when several are active (default: 20)",
    )
    display.add_argument(
        "--chart-hours",
        metavar="HOURS",
        type=float,
        default=6.0,
        help="how many of the latest hours of impact the chart shows (default: 6)",
    )
    display.add_argument(
        "--grid",
        action="store_true",
        help="show several active incidents side by side as tiles instead of rotating",
    )
    display.add_argument("--windowed", action="store_true", help="a window, not full screen")


def _display(args: argparse.Namespace) -> int:
    if args.rotate < 3:
        raise ValidationError("--rotate: give at least 3 seconds per incident.")
    if not 0.25 <= args.chart_hours <= 24 * 14:
        raise ValidationError("--chart-hours: give between 0.25 (15 minutes) and 336 (two weeks).")
    if args.screen is not None and args.screen < 0:
        raise ValidationError("--screen: screens are numbered from 0.")
    password = None
    peer = None
    if args.peer:
        from commander.services.peer.rounds import parse_address

        if args.server:
            raise ValidationError("Follow either --server or --peer, not both.")
        peer = parse_address(args.peer)
    if args.incident and not (
        args.server or peer
    ):  # a replica may not have it yet; a workspace must
        from commander.cli.common import open_workspace
        from commander.services.incidents import IncidentService

        with open_workspace(args) as workspace:
            args.incident = IncidentService(workspace).resolve(args.incident).id
    if args.server:
        from commander.cli.sync import _password  # the URL, PGPASSWORD or the keyring
        from commander.sync.url import ServerUrl

        password = _password(ServerUrl.parse(args.server), args.data_dir)
    try:
        from commander.app import run_display
    except ImportError as exc:
        raise CommanderError(f"the display cannot start here ({exc}).") from exc
    return run_display(
        resolve_data_dir(args.data_dir),
        resolve_author(args.author),
        incident=args.incident,
        server=args.server,
        peer=peer,
        password=password,
        screen=args.screen,
        rotate_s=args.rotate,
        chart_hours=args.chart_hours,
        grid=args.grid,
        fullscreen=not args.windowed,
    )
