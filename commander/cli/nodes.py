"""``commander node show``: this node's id, key fingerprint and where the key is kept."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from commander.cli.common import CommandFactory, add_json, with_workspace
from commander.cli.output import print_json, print_text, render_table, safe
from commander.core.errors import ValidationError
from commander.services.nodes import known_nodes, this_node

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    node = command("node", _node_help, "this node's signing key, and every node's fingerprint")
    actions = node.add_subparsers(title="node actions", metavar="ACTION")
    show = command("show", _show, "node id, key fingerprint and where the key is kept", actions)
    add_json(show)
    listing = command("list", _list, "every node this workspace knows, with fingerprints", actions)
    add_json(listing)


def _node_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'node show' or 'node list'.")


@with_workspace
def _show(args: argparse.Namespace, ws: Workspace) -> int:
    info = this_node(ws)
    if args.json:
        print_json(info)
        return 0
    print_text(
        f"Node:        {info['node_id']}\n"
        f"Author:      {safe(info['author'])}\n"
        f"Fingerprint: {info['fingerprint']}\n"
        f"Key kept in: {info['key_kept_in']}"
    )
    return 0


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    nodes = known_nodes(ws)
    if args.json:
        print_json([node.to_json() for node in nodes])
        return 0
    if not nodes:
        print_text("No node has introduced a signing key here yet.")
        return 0
    rows = [
        [safe(n.author), n.fingerprint, n.node_id, "REVOKED" if n.revoked else ""] for n in nodes
    ]
    print_text(render_table(["AUTHOR", "FINGERPRINT", "NODE", ""], rows))
    return 0
