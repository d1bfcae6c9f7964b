"""Bundles: the ops another workspace lacks, carried in one signed file when no server is up.

``export_bundle`` writes every op (or one incident's, with the workspace ops it depends on),
or only those after the heads an earlier bundle reached (``since``); ``import_bundle`` checks
the file whole (``core.bundle_format``), then every new op the way a pull does — its
signature under its node's pinned key, its link in its node's chain, its node not revoked —
and stores and applies them through the one apply path, in one transaction: a bundle is
imported whole or not at all, and importing it twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from commander import __version__
from commander.core.attachments import problem_with
from commander.core.bundle_format import Bundle, decode, encode, manifest_heads
from commander.core.clock import iso, to_ms
from commander.core.errors import ValidationError
from commander.core.hlc import HlcStamp
from commander.core.limits import BUNDLE_FILE_MAX
from commander.core.ops import GENESIS_HASH, OP_FIELDS, Op
from commander.core.records_json import JsonRecord, json_field
from commander.core.signing import KeyLedger, fingerprint, is_key_op, key_of
from commander.services.files import read_bounded
from commander.services.incidents import IncidentService
from commander.services.peer.files import file_ref, files_for
from commander.services.transfer import record_arrival
from commander.services.workspace import Workspace
from commander.storage import apply_keys, blobs, oplog, queries
from commander.storage.private_files import write_private
from commander.storage.transfer_queries import incident_op_rows, node_head, present_ids
from commander.sync.local import MAX_RECEIVE_AHEAD_MS

_HLC_KEY = "hlc"


@dataclass(frozen=True)
class BundleWritten(JsonRecord):
    """What ``export_bundle`` wrote."""

    path: Path
    ops: int
    nodes: int
    incident_ref: str | None = field(metadata=json_field(name="incident"))
    size: int = field(metadata=json_field(name="bytes"))
    files: int = 0


@dataclass
class BundleImported(JsonRecord):
    """What ``import_bundle`` did."""

    exporter: str
    exporter_fingerprint: str
    imported: int = 0
    already_present: int = 0
    revoked_left_out: int = 0
    gaps: int = 0
    incident_ids: set[str] = field(default_factory=set, metadata=json_field(name="incidents"))


def export_bundle(
    ws: Workspace,
    path: Path,
    *,
    incident: str | None = None,
    since: Path | None = None,
) -> BundleWritten:
    """Write the ops another workspace lacks to ``path`` (made owner-only, replaced whole).

    Raises:
        ValidationError: an unknown incident, an unreadable or altered ``since`` bundle, or
            nothing new since it.
    """
    after = manifest_heads(_read(since), what=str(since)) if since is not None else {}
    ref: str | None = None
    with ws.read() as conn:
        incident_id: str | None = None
        if incident is not None:
            found = IncidentService(ws).resolve(incident)
            incident_id, ref = found.id, found.ref
            ops = [_op(row) for row in incident_op_rows(conn, found.id)]
        else:
            ops = list(queries.ops_in_chain_order(conn))
        heads = {**after, **{op.node_id: op.hash for op in ops}}
        ops = _after_heads(ops, after)
        files = files_for(conn, ops)
    if since is not None and not ops:
        raise ValidationError(
            f"Nothing was written since {since}: the other workspace already has every change."
        )
    data = encode_ops(
        ws, ops, since=after, heads=heads, incident_id=incident_id, ref=ref, files=files
    )
    write_private(path, data)
    return BundleWritten(
        path, len(ops), len({op.node_id for op in ops}), ref, len(data), len(files)
    )


def encode_ops(
    ws: Workspace,
    ops: list[Op],
    *,
    since: dict[str, str],
    heads: dict[str, str],
    incident_id: str | None = None,
    ref: str | None = None,
    files: dict[str, bytes] | None = None,
) -> bytes:
    """``ops`` as a bundle signed by this node (a file, or one direction of a peer exchange),
    with ``files``, the attached files its ops name (a peer exchange sends them apart)."""
    signer = ws.signer()
    manifest = {
        "generator": f"Commander {__version__}",
        "created_at": iso(ws.clock.now()),
        "exporter": {
            "node_id": ws.node_id,
            "author": ws.author,
            "public_key": signer.public_key,
        },
        "incident": incident_id,
        "ref": ref,
        "since": since,
        "heads": heads,
    }
    return encode(manifest, ops, signer, files)


def _after_heads(ops: list[Op], after: dict[str, str]) -> list[Op]:
    """``ops`` without each node's ops up to and including the head ``after`` names.

    A head that is not among this workspace's ops for its node (the earlier bundle came from
    elsewhere) cuts nothing: sending more is harmless, an import skips what it has.
    """
    by_node: dict[str, list[Op]] = {}
    for op in ops:
        by_node.setdefault(op.node_id, []).append(op)
    dropped: set[str] = set()
    for node, head in after.items():
        chain = by_node.get(node, [])
        hashes = [op.hash for op in chain]
        if head in hashes:
            dropped.update(op.op_id for op in chain[: hashes.index(head) + 1])
    return [op for op in ops if op.op_id not in dropped]


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle file whole; ``ValidationError`` names what fails."""
    return decode(_read(path), what=str(path))


def import_bundle(ws: Workspace, path: Path) -> BundleImported:
    """Verify ``path`` and merge its new ops into ``ws`` in one transaction.

    Raises:
        ValidationError: the file is damaged, truncated, altered, signed by a key that
            contradicts the one pinned here, or holds an op that fails its checks; nothing
            is imported then.
    """
    bundle = read_bundle(path)
    # A bundle of format 2 carries its ops' files, each checked against its op on merge;
    # one of format 1 has none, and its ops arrive without their files as before.
    files = bundle.files if bundle.carries_files else None
    return merge_bundle(ws, bundle, what=str(path), files=files)


def merge_bundle(
    ws: Workspace,
    bundle: Bundle,
    *,
    what: str,
    proven_key: str | None = None,
    files: dict[str, bytes] | None = None,
) -> BundleImported:
    """Merge a bundle already read and checked whole (``decode``), all or nothing.

    ``proven_key``: the key the sender proved on the connection it came by (a peer's TLS
    certificate); the bundle must be signed by it, and a sender that wrote nothing yet needs
    no key op here. ``files``: the attached files that came with it (a peer exchange); then
    every new op that names a file needs it, matching its digest, and it is stored with it.
    """
    result = BundleImported(bundle.manifest["exporter"]["author"], fingerprint(bundle.exporter_key))
    with ws.write() as conn:
        ledger = KeyLedger(apply_keys.pinned_keys(conn))
        if proven_key is None:
            _check_exporter(bundle, ledger)
        else:
            _check_proven(bundle, ledger, proven_key, what)
        present = present_ids(conn, [op.op_id for op in bundle.ops])
        revoked = apply_keys.revoked_nodes(conn)
        heads: dict[str, str] = {}
        gaps: list[str] = []
        newest: HlcStamp | None = None
        wall = to_ms(ws.clock.now())
        for op in bundle.ops:
            if op.op_id in present:
                result.already_present += 1
                continue
            if op.node_id in revoked:
                result.revoked_left_out += 1
                continue
            _check_op(conn, op, ws.node_id, ledger, heads, bundle, gaps, what)
            if files is not None:
                _store_file(conn, op, files, what)
            oplog.store(conn, op)
            oplog.apply(conn, op)
            heads[op.node_id] = op.hash
            result.imported += 1
            result.incident_ids.add(op.incident_id)
            remote = min(HlcStamp.decode(op.hlc), HlcStamp(wall + MAX_RECEIVE_AHEAD_MS))
            newest = remote if newest is None or remote > newest else newest
        record_arrival(conn, gaps, newest, wall)
    result.gaps = len(gaps)
    result.incident_ids.discard("")
    return result


def _check_exporter(bundle: Bundle, ledger: KeyLedger) -> None:
    """The manifest's signer is the node it names: its pinned key, or the key op it carries."""
    node, key = bundle.exporter_node, bundle.exporter_key
    pinned = ledger.keys.get(node)
    if pinned is None:
        carried = next(
            (key_of(op) for op in bundle.ops if op.node_id == node and is_key_op(op)), None
        )
        if carried != key:
            raise ValidationError(
                f"{bundle.manifest['exporter']['author']}'s bundle is signed by a node this "
                "workspace does not know and it does not carry that node's key; import the "
                "earlier bundle first. Nothing was imported."
            )
    elif pinned != key:
        raise ValidationError(
            f"The bundle claims to come from node {node}, whose key here is "
            f"{fingerprint(pinned)}, but it is signed with {fingerprint(key)}; "
            "nothing was imported."
        )


def _store_file(conn: Connection, op: Op, files: dict[str, bytes], what: str) -> None:
    ref = file_ref(op)
    if ref is None:
        return
    data = files.get(ref.sha256)
    if data is None:
        if blobs.get(conn, ref.sha256) is not None:
            return
        raise ValidationError(
            f"Op {op.op_id} in {what} is refused: its file {ref.name} did not come with it; "
            "nothing was imported."
        )
    problem = problem_with(ref, data)
    if problem is not None:
        raise ValidationError(
            f"Op {op.op_id} in {what} is refused: {problem}; nothing was imported."
        )
    blobs.put(conn, ref.sha256, data)


def _check_proven(bundle: Bundle, ledger: KeyLedger, proven_key: str, what: str) -> None:
    """A peer's bundle is signed by the key its connection proved, and that key is its node's."""
    if bundle.exporter_key != proven_key:
        raise ValidationError(
            f"{what} is signed by {fingerprint(bundle.exporter_key)}, not by the key "
            f"{fingerprint(proven_key)} the peer proved; nothing was imported."
        )
    pinned = ledger.keys.get(bundle.exporter_node)
    if pinned is not None and pinned != proven_key:
        raise ValidationError(
            f"{what} claims to come from node {bundle.exporter_node}, whose key here is "
            f"{fingerprint(pinned)}, not {fingerprint(proven_key)}; nothing was imported."
        )


def _check_op(
    conn: Connection,
    op: Op,
    own_node: str,
    ledger: KeyLedger,
    heads: dict[str, str],
    bundle: Bundle,
    gaps: list[str],
    what: str,
) -> None:
    """Refuse (raise) an op a pull would quarantine; a bundle is taken whole or not at all."""
    if op.node_id == own_node:
        raise ValidationError(
            f"{what} holds changes written by this workspace that it no longer has "
            f"(op {op.op_id}); nothing was imported."
        )
    _status, problem = ledger.check(op)
    if problem is not None:
        raise ValidationError(
            f"Op {op.op_id} in {what} is refused: {problem}; nothing was imported."
        )
    head = heads.get(op.node_id) or node_head(conn, op.node_id)
    if op.prev_hash == (head or GENESIS_HASH):
        return
    if bundle.incident is not None:  # one incident's ops skip those of other incidents
        gaps.append(op.op_id)
        return
    raise ValidationError(
        f"Op {op.op_id} in {what} does not continue its node's chain here: the bundle follows "
        "one this workspace has not imported; import that one first. Nothing was imported."
    )


def _read(path: Path) -> bytes:
    return read_bounded(path, limit=BUNDLE_FILE_MAX)


def _op(row: tuple[Any, ...]) -> Op:
    body = dict(zip(OP_FIELDS, row[: len(OP_FIELDS)], strict=True))
    body["value"] = json.loads(body["value"])
    return Op(**body)
