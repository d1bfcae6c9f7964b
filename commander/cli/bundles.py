"""``commander bundle export|import|show``: ops on a USB stick when no server is reachable."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from commander.cli.common import CommandFactory, add_json, with_workspace
from commander.cli.output import print_json, print_text, safe
from commander.core.bundle_format import dumps_manifest
from commander.core.errors import ValidationError
from commander.core.signing import fingerprint
from commander.services.bundles import export_bundle, import_bundle, read_bundle

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    bundle = command("bundle", _bundle_help, "carry changes between workspaces in a signed file")
    actions = bundle.add_subparsers(title="bundle actions", metavar="ACTION")
    export = command("export", _export, "write the changes another workspace lacks", actions)
    export.add_argument("--incident", metavar="INCIDENT", help="only this incident's changes")
    export.add_argument(
        "--since-bundle",
        metavar="FILE",
        dest="since",
        help="only what was written after the bundle FILE (already carried over)",
    )
    export.add_argument("-o", "--out", metavar="FILE", required=True, help="the bundle to write")
    add_json(export)
    imported = command("import", _import, "verify a bundle and merge its changes", actions)
    imported.add_argument("file", metavar="FILE")
    add_json(imported)
    show = command("show", _show, "verify a bundle and print its manifest", actions)
    show.add_argument("file", metavar="FILE")
    add_json(show)


def _bundle_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'bundle export', 'bundle import' or 'bundle show'.")


@with_workspace
def _export(args: argparse.Namespace, ws: Workspace) -> int:
    since = Path(args.since).expanduser() if args.since else None
    written = export_bundle(ws, Path(args.out).expanduser(), incident=args.incident, since=since)
    if args.json:
        print_json(written.to_json())
        return 0
    scope = f" of {written.incident_ref}" if written.incident_ref else ""
    print_text(
        f"{written.ops:,} changes{scope} from {written.nodes} writer(s) written to "
        f"{written.path} ({written.size:,} bytes"
        + (f", with {written.files} attached file(s)" if written.files else "")
        + ")"
    )
    return 0


@with_workspace
def _import(args: argparse.Namespace, ws: Workspace) -> int:
    result = import_bundle(ws, Path(args.file).expanduser())
    if args.json:
        print_json(result.to_json())
        return 0
    extra = [f"{result.already_present:,} already here"] if result.already_present else []
    if result.revoked_left_out:
        extra.append(f"{result.revoked_left_out:,} of revoked nodes left out")
    print_text(
        f"{result.imported:,} changes imported from {safe(result.exporter)}'s bundle "
        f"(key {result.exporter_fingerprint})" + (f"; {', '.join(extra)}" if extra else "")
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    bundle = read_bundle(Path(args.file).expanduser())
    if args.json:
        print_json({"manifest": bundle.manifest, "verified": True})
        return 0
    print_text(
        f"Verified: {len(bundle.ops):,} changes, signed by "
        f"{safe(bundle.manifest['exporter']['author'])} (key {fingerprint(bundle.exporter_key)})\n"
        + dumps_manifest(bundle.manifest)
    )
    return 0
