"""Commands for the shared database: db init, sync, verify --server."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from commander.cli.common import EXIT_ERROR, CommandFactory, add_json, with_workspace
from commander.cli.output import print_json, print_text
from commander.config import resolve_data_dir
from commander.core.clock import parse_iso
from commander.core.errors import ValidationError
from commander.integrations.secrets import SecretStore
from commander.sync.engine import SyncEngine
from commander.sync.schema import (
    DISPLAY_ROLE,
    RESPONDER_ROLE,
    init_schema,
    revoke_node,
    role_statements,
)
from commander.sync.server import connect
from commander.sync.url import ServerUrl
from commander.sync.verify import ServerReport, verify_server

ENV_PASSWORD = "PGPASSWORD"

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    db = command("db", _db_help, "the shared PostgreSQL database; the workspace file's health")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION")
    init = command("init", _db_init, "create or update the shared schema (idempotent)", db_commands)
    init.add_argument("url", metavar="URL", help="postgresql+psycopg://user@host:5432/dbname")
    init.add_argument(
        "--roles",
        choices=("print", "apply"),
        help="print or apply the GRANTs: responder role read-write, display role read-only",
    )
    init.add_argument(
        "--max-skew-ms",
        type=int,
        default=None,
        metavar="MS",
        help="ops stamped further ahead of the server's clock are ordered by the server's time",
    )
    add_json(init)

    revoke = command(
        "revoke-node",
        _db_revoke_node,
        "refuse a node's further ops; clients mark its ops after --since untrusted (admin only)",
        db_commands,
    )
    revoke.add_argument("node", metavar="NODE", help="the node id ('commander node list')")
    revoke.add_argument("--server", required=True, metavar="URL", help="the shared database URL")
    revoke.add_argument(
        "--since",
        metavar="ISO-8601",
        default=None,
        help="ops the server received from then on are untrusted too (default: now)",
    )
    add_json(revoke)

    sync = command("sync", _sync, "push local changes to the shared database and pull others'")
    sync.add_argument("--server", required=True, metavar="URL", help="the shared database URL")
    add_json(sync)

    verify = _existing_parser(command, "verify")
    if verify is not None:
        verify.add_argument(
            "--server", metavar="URL", default=None, help="check the shared database's log instead"
        )
        local_handler = verify.get_default("handler")
        verify.set_defaults(handler=lambda args: _verify(args, local_handler))


def _existing_parser(command: CommandFactory, name: str) -> argparse.ArgumentParser | None:
    """The parser another feature registered as ``name`` (``verify``), to add --server to it.

    The factory's ``where`` default is the top-level subparsers action.
    """
    defaults = getattr(command, "__defaults__", None) or ()
    for action in defaults:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict) and name in choices:
            parser = choices[name]
            return parser if isinstance(parser, argparse.ArgumentParser) else None
    return None


def _db_help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'db init URL', 'db check', 'db recover' "
        "or 'db revoke-node NODE --server URL'."
    )


def _db_revoke_node(args: argparse.Namespace) -> int:
    try:
        since = parse_iso(args.since) if args.since else None
    except ValueError:
        raise ValidationError(f"--since {args.since!r} is not an ISO-8601 time.") from None
    server = ServerUrl.parse(args.server)
    with connect(server, _password(server, args.data_dir)) as pg:
        outcome = revoke_node(pg, args.node, since)
    if args.json:
        print_json({"server": server.redacted, **outcome})
        return 0
    print_text(
        f"node {outcome['node_id']} revoked: its further pushes are refused; "
        f"{outcome['untrusted']} of its ops already on the server are marked untrusted "
        "on every client's next sync"
    )
    return 0


def _password(server: ServerUrl, data_dir: str | None = None) -> str | None:
    """The URL's own password, PGPASSWORD (libpq reads it), or the one kept for this server."""
    if server.password:
        return server.password
    if os.environ.get(ENV_PASSWORD):
        return None  # libpq reads PGPASSWORD itself
    return SecretStore(data_dir=resolve_data_dir(data_dir)).get(server.redacted)


def _db_init(args: argparse.Namespace) -> int:
    server = ServerUrl.parse(args.url)
    with connect(server, _password(server, args.data_dir)) as pg:
        result = init_schema(pg, apply_roles=args.roles == "apply", max_skew_ms=args.max_skew_ms)
    statements = role_statements()
    if args.json:
        payload: dict[str, Any] = result.to_json()
        if args.roles == "print":
            payload["roles_sql"] = statements
        print_json(payload)
        return 0
    what = "created" if result.created else "up to date"
    print_text(f"{server.redacted}: Commander schema {result.schema_version} {what}")
    if args.roles == "print":
        print_text("\n".join(s + ";" for s in statements))
        print_text(
            f"-- then: GRANT {RESPONDER_ROLE} TO <responder>; GRANT {DISPLAY_ROLE} TO <display>;"
        )
    elif args.roles == "apply":
        print_text(f"roles {RESPONDER_ROLE} (read-write) and {DISPLAY_ROLE} (read-only) granted")
    return 0


@with_workspace
def _sync(args: argparse.Namespace, ws: Workspace) -> int:
    server = ServerUrl.parse(args.server)
    engine = SyncEngine(ws.engine, node_id=ws.node_id, clock=ws.clock, signer=ws.signer)
    engine.check_allowed()
    with connect(server, _password(server, args.data_dir)) as pg:
        result = engine.sync(pg)
    if args.json:
        print_json({"server": server.redacted, **result.to_json()})
        return EXIT_ERROR if result.pushed.refused else 0
    pushed, pulled = result.pushed, result.pulled
    if pushed.refused:
        print_text(f"error: {pushed.refused}; this node's changes wait, everyone else's arrived")
    print_text(
        f"pushed {pushed.accepted} ops ({pushed.skipped} already there), "
        f"pulled {pulled.applied} ops ({pulled.duplicates} already here"
        + (f", {pulled.parked} parked from a newer version" if pulled.parked else "")
        + (f", {len(pulled.conflict_ids)} concurrent edits" if pulled.conflict_ids else "")
        + (f", {len(pulled.quarantined)} quarantined" if pulled.quarantined else "")
        + f"); {result.pending} waiting"
    )
    relayed = pushed.relay
    if relayed.relayed:
        print_text(f"relayed {relayed.relayed} ops of other nodes from peers")
    for text in (*relayed.held, *relayed.refused):
        print_text(f"relay: {text}")
    for problem in pulled.quarantined:
        print_text(problem.sentence())
    for warning in result.warnings:
        print_text(f"warning: {warning}")
    return EXIT_ERROR if pushed.refused else 0


def _verify(args: argparse.Namespace, local_handler: Any) -> int:
    if not getattr(args, "server", None):
        return int(local_handler(args))
    server = ServerUrl.parse(args.server)
    with connect(server, _password(server, args.data_dir)) as pg:
        report = verify_server(pg)
    if getattr(args, "json", False):
        print_json({"server": server.redacted, **report.to_json()})
    else:
        print_text(render_server_report(server, report))
    return 0 if report.ok else EXIT_ERROR


def render_server_report(server: ServerUrl, report: ServerReport) -> str:
    lines = [f"{server.redacted}: {report.ops_checked} ops from {report.nodes} nodes"]
    for chain_break in report.breaks:
        lines.append(
            f"BROKEN: node {chain_break.node_id}, op {chain_break.op_id} "
            f"(#{chain_break.position + 1}): {chain_break.reason}"
        )
    lines.extend(f"BROKEN: {problem}" for problem in report.head_problems)
    lines.extend(
        f"BAD SIGNATURE: node {p.node_id}, op {p.op_id} (#{p.position + 1}): {p.reason}"
        for p in report.signature_problems
    )
    lines.extend(
        f"GAP: server seq {first}–{last} missing (ops deleted, or a push rolled back)"
        for first, last in report.gaps
    )
    lines.extend(
        f"REVOKED: node {node} (its ops after the revocation are untrusted)"
        for node in report.revoked
    )
    signed = f"{report.signed} signed" + (
        f", {report.unsigned} unsigned (before signing)" if report.unsigned else ""
    )
    if report.ok:
        lines.append(f"ok: every chain is intact and every signature holds ({signed})")
    return "\n".join(lines)
