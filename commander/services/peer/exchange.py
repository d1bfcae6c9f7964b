"""One peer exchange over mutual TLS: heads each way, then the ops each side lacks, as bundles.

Client and server run the same steps in mirror image::

    client -> server   hello  {node_id, author, heads}
    server -> client   hello  {node_id, author, heads}
    client -> server   bundle (the ops the server lacks), then the files they name
    server             verifies and merges it (``merge_bundle``: all or nothing)
    server -> client   bundle (the ops the client lacks), its files, then {imported, heads}
    client             verifies and merges it, then -> server {imported, heads}

A bundle is read whole before anything of it is checked, and checked whole (hash, chain,
signature under the pinned key, revoked nodes, and its signer must be the key the TLS
connection proved) before anything of it is applied: bytes altered on the way fail TLS, and
even past TLS they would fail the bundle's own checks, so nothing altered is ever applied.
"""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass, field
from typing import Any

from commander.core.bundle_format import decode
from commander.core.errors import ValidationError
from commander.core.records_json import JsonRecord, json_field
from commander.core.signing import fingerprint
from commander.services.bundles import BundleImported, encode_ops, merge_bundle
from commander.services.peer.admission import admitted_entry, record_exchange
from commander.services.peer.files import decode_files, encode_files, files_for
from commander.services.peer.ops import checked_heads, node_heads, ops_after
from commander.services.workspace import Workspace
from commander.sync import peer_wire
from commander.sync.peer_tls import peer_key


@dataclass(frozen=True)
class Exchanged(JsonRecord):
    """What one exchange did, seen from this side."""

    peer_author: str = field(metadata=json_field(name="peer"))
    peer_fingerprint: str = field(metadata=json_field(name="fingerprint"))
    address: str
    sent: int
    received: int
    already_present: int
    left_out: int = field(
        metadata=json_field(name="left_out_revoked")
    )  # ops of revoked nodes, not applied
    peer_imported: int


def _hello(ws: Workspace) -> dict[str, Any]:
    with ws.read() as conn:
        heads = node_heads(conn)
    return {"node_id": ws.node_id, "author": ws.author, "heads": heads}


def _peer_of(ws: Workspace, tls: ssl.SSLSocket) -> tuple[str, dict[str, Any]]:
    """The proven key of the other side and its admission entry (refused if none)."""
    key, _der = peer_key(tls)
    entry = admitted_entry(ws, key)
    if entry is None:
        raise ValidationError(f"The peer's key {fingerprint(key)} is not admitted here.")
    return key, entry


def _check_hello(hello: dict[str, Any], entry: dict[str, Any], key: str) -> dict[str, str]:
    if hello.get("node_id") != entry["node_id"]:
        raise ValidationError(
            f"The peer with key {fingerprint(key)} was admitted as node {entry['node_id']} "
            f"but now says it is node {hello.get('node_id')!r}; refused."
        )
    return checked_heads(hello.get("heads"))


def _send_outgoing(ws: Workspace, tls: ssl.SSLSocket, their_heads: dict[str, str]) -> int:
    """Send the ops the peer lacks as a bundle, then the files they name; how many ops."""
    with ws.read() as conn:
        ops = ops_after(conn, their_heads)
        mine = node_heads(conn)
        files = files_for(conn, ops)
    peer_wire.send_bundle(tls, encode_ops(ws, ops, since=their_heads, heads=mine))
    peer_wire.send_files(tls, encode_files(files))
    return len(ops)


def _merge(ws: Workspace, data: bytes, files: bytes, author: str, key: str) -> BundleImported:
    what = f"the changes from {author}"
    bundle = decode(data, what=what)
    return merge_bundle(ws, bundle, what=what, proven_key=key, files=decode_files(files))


def _done(ws: Workspace, result: BundleImported) -> dict[str, Any]:
    with ws.read() as conn:
        heads = node_heads(conn)
    return {"imported": result.imported, "heads": heads}


def client_exchange(ws: Workspace, tls: ssl.SSLSocket, address: str) -> Exchanged:
    """The connecting side's half, on a socket whose mutual TLS handshake is done."""
    key, entry = _peer_of(ws, tls)
    peer_wire.send_json(tls, _hello(ws))
    theirs = peer_wire.read_json(tls)
    their_heads = _check_hello(theirs, entry, key)
    sent = _send_outgoing(ws, tls, their_heads)
    incoming = peer_wire.read_bundle(tls)
    incoming_files = peer_wire.read_files(tls)
    their_result = peer_wire.read_json(tls)
    try:
        result = _merge(ws, incoming, incoming_files, entry["author"], key)
    except ValidationError as exc:
        peer_wire.send_error(tls, str(exc))
        raise
    peer_wire.send_json(tls, _done(ws, result))
    record_exchange(ws, key, checked_heads(their_result.get("heads")), address)
    return _exchanged(entry, key, address, sent, result, their_result)


def server_exchange(
    ws: Workspace, tls: ssl.SSLSocket, address: str, lock: threading.Lock
) -> Exchanged:
    """The listening side's half; ``lock`` keeps one exchange at a time on this workspace."""
    key, entry = _peer_of(ws, tls)
    theirs = peer_wire.read_json(tls)
    their_heads = _check_hello(theirs, entry, key)
    with lock:
        peer_wire.send_json(tls, _hello(ws))
        incoming = peer_wire.read_bundle(tls)
        incoming_files = peer_wire.read_files(tls)
        try:
            result = _merge(ws, incoming, incoming_files, entry["author"], key)
        except ValidationError as exc:
            peer_wire.send_error(tls, str(exc))
            raise
        sent = _send_outgoing(ws, tls, their_heads)
        peer_wire.send_json(tls, _done(ws, result))
        their_result = peer_wire.read_json(tls)
        record_exchange(ws, key, checked_heads(their_result.get("heads")), address)
    return _exchanged(entry, key, address, sent, result, their_result)


def _exchanged(
    entry: dict[str, Any],
    key: str,
    address: str,
    sent: int,
    result: BundleImported,
    their_result: dict[str, Any],
) -> Exchanged:
    imported = their_result.get("imported")
    return Exchanged(
        peer_author=str(entry["author"]),
        peer_fingerprint=fingerprint(key),
        address=address,
        sent=sent,
        received=result.imported,
        already_present=result.already_present,
        left_out=result.revoked_left_out,
        peer_imported=imported if isinstance(imported, int) else 0,
    )
