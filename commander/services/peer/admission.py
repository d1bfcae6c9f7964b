"""Which peers this workspace syncs with: admitted keys, pending first contacts, their state.

Kept in the workspace's local ``meta`` table (never synced, survives restarts), keyed by the
peer's public key: admitted peers with the certificate they present (the only trust anchors
of a peer connection), pending ones recorded at first contact with the fingerprint and author
they proved, and for each admitted peer the heads it had after the last exchange, which say
how far behind it is now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.records_json import JsonRecord, json_computed, json_field
from commander.core.signing import fingerprint
from commander.services.workspace import Workspace
from commander.storage import apply_keys, oplog
from commander.storage.peer_queries import count_ops_after

ADMITTED_KEY = "peer.admitted"
PENDING_KEY = "peer.pending"
PENDING_MAX = 64  # first contacts kept; the oldest goes first


@dataclass(frozen=True)
class Peer(JsonRecord):
    """One admitted or pending peer, as ``peer list`` shows it."""

    public_key: str = field(metadata=json_field(omit=True))
    node_id: str
    author: str = field(metadata=json_field(before="node_id"))
    status: str = field(metadata=json_field(before="author"))  # "admitted" or "pending"
    address: str
    seen_at: str
    synced_at: str | None
    behind: int | None  # ops of this workspace it lacked at the last look; None: never synced

    JSON_COMPUTED = (json_computed("fingerprint", before="author"),)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def _load(conn: Connection, key: str) -> dict[str, dict[str, Any]]:
    value = json.loads(oplog.read_meta(conn, key) or "{}")
    return value if isinstance(value, dict) else {}


def _save(conn: Connection, key: str, value: dict[str, dict[str, Any]]) -> None:
    oplog.write_meta(conn, key, json.dumps(value, sort_keys=True))


def trusted_certificates(ws: Workspace) -> list[bytes]:
    """The certificates of the admitted peers: the only ones a peer connection accepts."""
    with ws.read() as conn:
        return [bytes.fromhex(entry["certificate"]) for entry in _load(conn, ADMITTED_KEY).values()]


def admitted_entry(ws: Workspace, public_key: str) -> dict[str, Any] | None:
    with ws.read() as conn:
        return _load(conn, ADMITTED_KEY).get(public_key)


def changed_key(conn: Connection, public_key: str, node_id: str, author: str) -> str | None:
    """One sentence when ``node_id`` is known here under another key, else None."""
    pinned = apply_keys.pinned_keys(conn).get(node_id)
    known = [
        key
        for key, entry in _load(conn, ADMITTED_KEY).items()
        if entry.get("node_id") == node_id and key != public_key
    ]
    old = pinned if pinned not in (None, public_key) else (known[0] if known else None)
    if old is None:
        return None
    return (
        f"Refused: {author} (node {node_id}) now presents the key {fingerprint(public_key)}, "
        f"but its key here is {fingerprint(old)}; if the change is genuine, check the new "
        "fingerprint with its owner, 'commander peer forget' the old one and admit the new."
    )


def introduce(
    ws: Workspace, public_key: str, node_id: str, author: str, certificate: bytes, address: str
) -> str:
    """Record a peer that proved its key: ``"admitted"``, ``"pending"``, or ``changed_key``'s
    sentence. An admitted peer's certificate is refreshed; nothing else is ever admitted here.
    """
    now = iso(ws.clock.now())
    with ws.write() as conn:
        admitted = _load(conn, ADMITTED_KEY)
        if public_key in admitted:
            admitted[public_key].update(certificate=certificate.hex(), address=address)
            _save(conn, ADMITTED_KEY, admitted)
            return "admitted"
        sentence = changed_key(conn, public_key, node_id, author)
        if sentence is not None:
            return sentence
        pending = _load(conn, PENDING_KEY)
        pending[public_key] = {
            "node_id": node_id,
            "author": author,
            "certificate": certificate.hex(),
            "address": address,
            "seen_at": now,
        }
        while len(pending) > PENDING_MAX:
            del pending[min(pending, key=lambda key: pending[key]["seen_at"])]
        _save(conn, PENDING_KEY, pending)
    return "pending"


def _find(entries: dict[str, dict[str, Any]], wanted: str) -> str | None:
    text = "".join(wanted.split()).casefold()
    for key in entries:
        if fingerprint(key).replace(" ", "") == text:
            return key
    return None


def admit(ws: Workspace, wanted: str) -> Peer:
    """Accept the pending peer with fingerprint ``wanted`` (spaces optional)."""
    with ws.write() as conn:
        pending = _load(conn, PENDING_KEY)
        admitted = _load(conn, ADMITTED_KEY)
        if _find(admitted, wanted) is not None:
            raise ValidationError(f"The peer {wanted} is already admitted.")
        key = _find(pending, wanted)
        if key is None:
            raise NotFoundError(
                f"No pending peer has the fingerprint {wanted}: a peer is pending after its "
                "first contact ('commander peer list' shows them)."
            )
        entry = pending.pop(key)
        sentence = changed_key(conn, key, entry["node_id"], entry["author"])
        if sentence is not None:
            raise ValidationError(sentence)
        entry["admitted_at"] = iso(ws.clock.now())
        admitted[key] = entry
        _save(conn, PENDING_KEY, pending)
        _save(conn, ADMITTED_KEY, admitted)
    return _peer(key, entry, "admitted", None)


def forget(ws: Workspace, wanted: str) -> Peer:
    """Drop an admitted or pending peer: it is refused from now on, until admitted again."""
    with ws.write() as conn:
        for meta_key, status in ((ADMITTED_KEY, "admitted"), (PENDING_KEY, "pending")):
            entries = _load(conn, meta_key)
            key = _find(entries, wanted)
            if key is not None:
                entry = entries.pop(key)
                _save(conn, meta_key, entries)
                return _peer(key, entry, status, None)
    raise NotFoundError(f"No admitted or pending peer has the fingerprint {wanted}.")


def record_exchange(ws: Workspace, public_key: str, heads: dict[str, str], address: str) -> None:
    """After an exchange: the heads the peer has now, for ``peer list``'s *behind*."""
    with ws.write() as conn:
        admitted = _load(conn, ADMITTED_KEY)
        if public_key in admitted:
            admitted[public_key].update(heads=heads, synced_at=iso(ws.clock.now()), address=address)
            _save(conn, ADMITTED_KEY, admitted)


def list_peers(ws: Workspace) -> list[Peer]:
    """Admitted peers first (with how far behind each was left), then pending ones."""
    with ws.read() as conn:
        admitted = _load(conn, ADMITTED_KEY)
        pending = _load(conn, PENDING_KEY)
        found = [
            _peer(key, entry, "admitted", _behind(conn, entry.get("heads")))
            for key, entry in admitted.items()
        ]
    found.sort(key=lambda peer: (peer.author, peer.public_key))
    found += sorted(
        (_peer(key, entry, "pending", None) for key, entry in pending.items()),
        key=lambda peer: (peer.author, peer.public_key),
    )
    return found


def _behind(conn: Connection, heads: dict[str, str] | None) -> int | None:
    """How many of this workspace's ops lie after ``heads`` (the peer lacks them)."""
    return None if heads is None else count_ops_after(conn, heads)


def _peer(key: str, entry: dict[str, Any], status: str, behind: int | None) -> Peer:
    return Peer(
        public_key=key,
        node_id=str(entry.get("node_id", "")),
        author=str(entry.get("author", "")),
        status=status,
        address=str(entry.get("address", "")),
        seen_at=str(entry.get("seen_at", "")),
        synced_at=entry.get("synced_at"),
        behind=behind,
    )
