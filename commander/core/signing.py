"""Who wrote an op: Ed25519 signatures over the bytes the hash chain covers.

A hash chain proves order, not authorship: anyone who can push can compute a hash. Each node
therefore signs every op with its own key. The public key travels in the node's *key op*
(entity ``node``, field ``key``), itself signed by that key (proof of possession), and is
pinned from then on: a second key op for the node, an op signed by another key, or an
unsigned op after the key op is a forgery. Ops a node wrote before it had a key (a workspace
from before signing) stay valid and are reported as *unsigned (before signing)*.

The rules are one class, ``KeyLedger``, used the same way by ``verify`` (local, server,
file) and by pull, so what verify accepts is exactly what a replica applies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, Op

ALGORITHM = "ed25519"
SIGNED = "signed"
UNSIGNED = "unsigned (before signing)"
_HEX = frozenset("0123456789abcdef")
_SIGNATURE_TEXT = re.compile("[0-9a-f]{128}")  # 64 bytes, lowercase hex


class Signer(Protocol):
    """A node's signing key, wherever it is kept."""

    @property
    def public_key(self) -> str: ...

    def sign(self, data: bytes) -> str: ...


class Ed25519Signer:
    """An Ed25519 private key in memory (loaded from keyring or the key file)."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public_key = public_hex(private.public_key())

    @classmethod
    def generate(cls) -> Ed25519Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_hex(cls, text: str) -> Ed25519Signer:
        return cls(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(text.strip())))

    def private_hex(self) -> str:
        from cryptography.hazmat.primitives import serialization

        raw = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return raw.hex()

    def sign(self, data: bytes) -> str:
        return self._private.sign(data).hex()

    def private_key(self) -> Ed25519PrivateKey:
        """The key itself, for what signs with it other than ops (a peer's TLS certificate)."""
        return self._private


def public_hex(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def fingerprint(public_key: str) -> str:
    """A short, comparable form of a public key: 16 bytes of its SHA-256, in groups of 4."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def key_op_value(public_key: str) -> dict[str, str]:
    return {"algorithm": ALGORITHM, "public_key": public_key}


def is_key_op(op: Op) -> bool:
    return op.entity == Entity.NODE and op.field == Field.KEY


def key_of(op: Op) -> str | None:
    """The public key a key op carries, or None when it is not a well-formed key op."""
    value: Any = op.value
    if not isinstance(value, dict) or value.get("algorithm") != ALGORITHM:
        return None
    key = value.get("public_key")
    if not isinstance(key, str) or len(key) != 64 or not set(key) <= _HEX:
        return None
    return key


class KeyLedger:
    """The pinned key of every node seen so far, and the signature rules for the next op.

    Args:
        pinned: node id -> public key already known (the replica's ``node_key`` table).
    """

    def __init__(self, pinned: dict[str, str] | None = None) -> None:
        self.keys: dict[str, str] = dict(pinned or {})
        self._verifiers: dict[str, Ed25519PublicKey] = {}

    def check(self, op: Op, *, verify: bool = True) -> tuple[str, str | None]:
        """``(status, problem)`` for the next op of its node; pins the key of a key op.

        ``status`` is ``SIGNED`` or ``UNSIGNED``; ``problem`` is None when the op may be
        applied, else one sentence saying why not (and the key is not pinned). With
        ``verify=False`` an ordinary signed op gets every check but the Ed25519 one, for a
        caller that verifies a later signature of the same chain instead (``signature_holds``);
        a key op is always verified.
        """
        key = self.keys.get(op.node_id)
        if is_key_op(op):
            carried = key_of(op)
            if op.entity_id != op.node_id or op.incident_id != WORKSPACE_SCOPE:
                return SIGNED, "it introduces a key for another node than its own"
            if carried is None:
                return SIGNED, "its signing key is not a well-formed Ed25519 public key"
            if key is not None:
                return SIGNED, (
                    f"its node already has the key {fingerprint(key)}; a key is pinned at "
                    "the node's first key op and never replaced"
                )
            if not self._valid(carried, op):
                return SIGNED, "it is not signed by the key it introduces"
            self.keys[op.node_id] = carried
            return SIGNED, None
        if key is None:
            if op.signature:
                return SIGNED, "it is signed, but its node never introduced a signing key"
            return UNSIGNED, None
        if not op.signature:
            return UNSIGNED, (
                f"it is unsigned, but its node signs every op since it introduced the key "
                f"{fingerprint(key)}"
            )
        if not verify:
            if not _SIGNATURE_TEXT.fullmatch(op.signature):
                return SIGNED, self.bad_signature(op.node_id)
            return SIGNED, None
        if not self._valid(key, op):
            return SIGNED, self.bad_signature(op.node_id)
        return SIGNED, None

    def bad_signature(self, node_id: str) -> str:
        key = self.keys.get(node_id, "")
        shown = fingerprint(key) if key else "(none)"
        return f"its signature does not verify under its node's key {shown}"

    def signature_holds(self, op: Op) -> bool:
        """Whether ``op``'s own signature verifies under its node's pinned key."""
        key = self.keys.get(op.node_id)
        return key is not None and self._valid(key, op)

    def _valid(self, public_key: str, op: Op) -> bool:
        signature = op.signature
        if not _SIGNATURE_TEXT.fullmatch(signature):
            return False
        verifier = self._verifiers.get(public_key)
        if verifier is None:
            verifier = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
            self._verifiers[public_key] = verifier
        try:
            verifier.verify(bytes.fromhex(signature), op.signed_bytes())
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SignatureProblem:
    """The first op of a node whose signature does not hold."""

    node_id: str
    op_id: str
    position: int
    reason: str


@dataclass
class SignatureReport:
    """Signatures over a whole log: the first problem of each node, and the counts."""

    problems: list[SignatureProblem] = field(default_factory=list)
    signed: int = 0
    unsigned: int = 0
    keys: dict[str, str] = field(default_factory=dict)


def verify_signatures(ops: Iterable[Op]) -> SignatureReport:
    """Check every op's signature; ops must come in each node's chain order."""
    ledger = KeyLedger()
    report = SignatureReport()
    positions: dict[str, int] = {}
    failed: set[str] = set()
    for op in ops:
        position = positions.get(op.node_id, 0)
        positions[op.node_id] = position + 1
        if op.node_id in failed:
            continue
        status, problem = ledger.check(op)
        if problem is not None:
            failed.add(op.node_id)
            report.problems.append(SignatureProblem(op.node_id, op.op_id, position, problem))
        elif status == SIGNED:
            report.signed += 1
        else:
            report.unsigned += 1
    report.keys = ledger.keys
    return report
