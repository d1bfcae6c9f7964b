"""First contact between two peers: each learns the other's proven key, as *pending* only.

On an introduction connection the server proves its key by TLS (its certificate, checked
against nothing yet); the client proves its own by signing the server's fresh nonce together
with the server's key and its own claim (node, author, certificate), so the proof cannot be
replayed elsewhere. Each side then records the other as pending, with fingerprint and author,
or says in one sentence that a node it knows now has another key. Nothing is exchanged: the
people on both sides compare fingerprints and run ``commander peer admit``.
"""

from __future__ import annotations

import os
import ssl
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from commander.core.errors import ValidationError
from commander.core.ops import canonical_json
from commander.core.signing import fingerprint
from commander.services.peer.admission import introduce
from commander.services.workspace import Workspace
from commander.sync import peer_wire
from commander.sync.peer_tls import (
    certificate_key,
    is_self_signed_by_its_key,
    node_certificate,
    peer_key,
)

_CONTEXT = b"commander-peer-introduction 1\n"
_CLAIM = ("nonce", "server_key", "node_id", "author", "public_key", "certificate")
PENDING = "pending"
ADMITTED = "admitted"


def client_introduce(ws: Workspace, tls: ssl.SSLSocket, address: str) -> str:
    """The connecting side: prove this node's key, record the server; one sentence back."""
    server_key, server_der = peer_key(tls)
    hello = peer_wire.read_json(tls)
    signer = ws.signer()
    claim = {
        "nonce": str(hello.get("nonce", "")),
        "server_key": server_key,
        "node_id": ws.node_id,
        "author": ws.author,
        "public_key": signer.public_key,
        "certificate": node_certificate(signer).hex(),
    }
    signature = signer.sign(_CONTEXT + canonical_json(claim).encode("utf-8"))
    peer_wire.send_json(tls, {**claim, "signature": signature})
    answer = peer_wire.read_json(tls)
    author, node = _text(hello, "author"), _text(hello, "node_id")
    mine = introduce(ws, server_key, node, author, server_der, address)
    return _sentence(mine, str(answer.get("status", "")), author, server_key, signer.public_key)


def _sentence(mine: str, theirs: str, author: str, their_key: str, own_key: str) -> str:
    if mine == ADMITTED and theirs == ADMITTED:
        return ""
    parts: list[str] = []
    if mine == PENDING:
        parts.append(
            f"{author} (key {fingerprint(their_key)}) is not admitted here; if 'commander node "
            f"show' prints that fingerprint on their side, run 'commander peer admit "
            f"{fingerprint(their_key).replace(' ', '')}'"
        )
    elif mine != ADMITTED:
        parts.append(mine.rstrip("."))
    if theirs == PENDING:
        parts.append(
            f"this node (key {fingerprint(own_key)}) is pending on their side until they admit it"
        )
    elif theirs != ADMITTED:
        parts.append("they refused this node: they know it under another key")
    text = "; ".join(parts)
    return text if text.startswith("Refused") else f"Refused: {text}; nothing was exchanged."


def server_introduce(ws: Workspace, tls: ssl.SSLSocket, address: str) -> str:
    """The listening side: check the client's proof, record it; returns what was recorded."""
    own_key = ws.signer().public_key
    nonce = os.urandom(32).hex()
    peer_wire.send_json(tls, {"node_id": ws.node_id, "author": ws.author, "nonce": nonce})
    message = peer_wire.read_json(tls)
    claim = {name: _text(message, name) for name in _CLAIM}
    if claim["nonce"] != nonce or claim["server_key"] != own_key:
        raise ValidationError("A peer's introduction was not made for this connection.")
    try:
        certificate = bytes.fromhex(claim["certificate"])
        if certificate_key(certificate) != claim["public_key"] or not is_self_signed_by_its_key(
            certificate
        ):
            raise ValueError("certificate")
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(claim["public_key"])).verify(
            bytes.fromhex(_text(message, "signature")),
            _CONTEXT + canonical_json(claim).encode("utf-8"),
        )
    except (ValueError, InvalidSignature, ValidationError):
        peer_wire.send_error(tls, "the introduction's signature does not prove its key")
        raise ValidationError(
            f"A peer at {address} could not prove the key it claims; refused."
        ) from None
    status = introduce(
        ws, claim["public_key"], claim["node_id"], claim["author"], certificate, address
    )
    shown = status if status in (PENDING, ADMITTED) else "changed"
    peer_wire.send_json(tls, {"status": shown})
    return status


def _text(message: dict[str, Any], name: str) -> str:
    value = message.get(name)
    if not isinstance(value, str) or not value or len(value) > 4096:
        raise ValidationError(f"The peer's introduction lacks its {name!r}.")
    return value
