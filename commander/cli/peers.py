"""``commander peer serve|sync|list|admit|forget``: laptop-to-laptop sync, no server needed."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import TYPE_CHECKING

from commander.cli.common import CommandFactory, add_json, with_workspace
from commander.cli.output import print_json, print_text, render_table, safe
from commander.core.errors import ValidationError
from commander.services.peer.admission import admit, forget, list_peers
from commander.services.peer.net import DEFAULT_HOST, DEFAULT_PORT, PeerServer, sync_with
from commander.services.peer.rounds import parse_address
from commander.sync.peer_discovery import Announcer, discover

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    peer = command("peer", _peer_help, "sync directly with another laptop (no server)")
    actions = peer.add_subparsers(title="peer actions", metavar="ACTION")
    serve = command("serve", _serve, "listen for peers until Ctrl+C", actions)
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
        "name the local network's address to let other laptops in)",
    )
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free one)")
    serve.add_argument(
        "--announce",
        action="store_true",
        help="announce it by DNS-SD (_commander._tcp) on the --host interface",
    )
    discover = command("discover", _discover, "list peers announced by DNS-SD", actions)
    discover.add_argument(
        "--interface",
        default=DEFAULT_HOST,
        metavar="ADDRESS",
        help=f"this machine's address to browse on (default {DEFAULT_HOST})",
    )
    discover.add_argument("--seconds", type=float, default=3.0, help="how long to listen")
    add_json(discover)
    sync = command("sync", _sync, "one exchange both ways with the peer at HOST:PORT", actions)
    sync.add_argument("address", metavar="HOST:PORT")
    add_json(sync)
    listing = command("list", _list, "admitted and pending peers, with fingerprints", actions)
    add_json(listing)
    admitted = command("admit", _admit, "accept a pending peer by its key fingerprint", actions)
    admitted.add_argument("fingerprint", metavar="FINGERPRINT", nargs="+")
    forgotten = command("forget", _forget, "refuse an admitted or pending peer again", actions)
    forgotten.add_argument("fingerprint", metavar="FINGERPRINT", nargs="+")


def _peer_help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'peer serve', 'peer sync', 'peer discover', 'peer list', "
        "'peer admit' or 'peer forget'."
    )


@with_workspace
def _serve(args: argparse.Namespace, ws: Workspace) -> int:
    stop = threading.Event()
    # Ctrl+C raises KeyboardInterrupt; a service manager's SIGTERM stops the same way.
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server = PeerServer(
        ws, args.host, args.port, on_event=lambda sentence: print_text(safe(sentence))
    )
    announcer = (
        Announcer(
            server.host,
            server.port,
            node_id=ws.node_id,
            author=ws.author,
            fingerprint=server.fingerprint,
        )
        if args.announce
        else None
    )
    print_text(
        f"Serving peers at {server.host}:{server.port} as {safe(ws.author)} "
        f"(key {server.fingerprint}){'; announced' if announcer else ''}; Ctrl+C stops."
    )
    try:
        server.serve(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        if announcer is not None:
            announcer.close()
        server.close()
        signal.signal(signal.SIGTERM, previous)
    print_text("Stopped serving peers.")
    return 0


def _discover(args: argparse.Namespace) -> int:
    if not 0 < args.seconds <= 60:
        raise ValidationError("--seconds must be more than 0 and at most 60.")
    found = discover(args.interface, args.seconds)
    if args.json:
        print_json([peer.to_json() for peer in found])
        return 0
    if not found:
        print_text(f"No peer announced itself on {args.interface} within {args.seconds:g} s.")
        return 0
    rows = [[peer.address, safe(peer.author), safe(peer.fingerprint)] for peer in found]
    print_text(render_table(["ADDRESS", "AUTHOR", "FINGERPRINT (unproven until sync)"], rows))
    return 0


@with_workspace
def _sync(args: argparse.Namespace, ws: Workspace) -> int:
    host, port = parse_address(args.address)
    done = sync_with(ws, host, port)
    if args.json:
        print_json(done.to_json())
        return 0
    extra = f"; {done.left_out:,} of revoked nodes left out" if done.left_out else ""
    print_text(
        f"Synced with {safe(done.peer_author)} ({done.peer_fingerprint}) at {done.address}: "
        f"received {done.received:,}, sent {done.sent:,}, quarantined 0{extra}"
    )
    return 0


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    peers = list_peers(ws)
    if args.json:
        print_json([peer.to_json() for peer in peers])
        return 0
    if not peers:
        print_text("No peer yet: 'commander peer sync HOST:PORT' makes the first contact.")
        return 0
    rows = [
        [
            peer.status,
            safe(peer.author),
            peer.fingerprint,
            peer.address,
            "never synced" if peer.behind is None else f"{peer.behind:,} behind",
        ]
        for peer in peers
    ]
    print_text(render_table(["STATUS", "AUTHOR", "FINGERPRINT", "ADDRESS", "SYNC"], rows))
    return 0


@with_workspace
def _admit(args: argparse.Namespace, ws: Workspace) -> int:
    peer = admit(ws, " ".join(args.fingerprint))
    print_text(f"Admitted {safe(peer.author)} (key {peer.fingerprint}, node {peer.node_id}).")
    return 0


@with_workspace
def _forget(args: argparse.Namespace, ws: Workspace) -> int:
    peer = forget(ws, " ".join(args.fingerprint))
    print_text(f"Forgot {safe(peer.author)} (key {peer.fingerprint}): refused from now on.")
    return 0
