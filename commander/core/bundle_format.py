"""The bundle file: ops for another workspace, signed and compressed, for a USB stick.

Layout (three text lines, then the body)::

    COMMANDER-BUNDLE 1
    {"count": ..., "ops_digest": ..., "exporter": {...}, ...}     <- the manifest, one line
    <Ed25519 signature, hex, of the two lines above, by the exporter's node key>
    <zlib stream: one op per line, JSON, in each node's chain order; then, from format 2,
     one attached file per line: {"sha256": ..., "data": base64}>

What proves what: each op's hash covers its content and its signature its author; the
manifest's ``ops_digest`` (SHA-256 over the op hashes in order) and ``count`` fix which ops
the bundle holds; the signature over the manifest says which node assembled it. So a flipped
bit anywhere is found: in the header or manifest by the signature, in the body by zlib's
checksum, the op's hash or the digest. Refusals name the first op that fails.

Format 2 adds the files attached to entries (content-addressed blobs, whose digest each entry
op records): the signed manifest lists each file's SHA-256 and size, and each file read back
must match its listing, or the bundle is refused naming it. Format 1 bundles (no files) are
still read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from commander.core.errors import ValidationError
from commander.core.limits import BUNDLE_DATA_MAX, check_stored_value, load_json
from commander.core.ops import OP_FIELDS, SCHEMA_VERSION, Op, canonical_json
from commander.core.signing import Signer, fingerprint

MAGIC = b"COMMANDER-BUNDLE"
FORMAT_VERSION = 2  # 2: attached files
_OLDEST_READ = 1
_MANIFEST_KEYS: dict[str, type | tuple[type, ...]] = {
    "created_at": str,
    "exporter": dict,
    "incident": (str, type(None)),
    "since": dict,
    "heads": dict,
    "count": int,
    "ops_digest": str,
}
_HEX = set("0123456789abcdef")
_HASH_CHARS = 64
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Bundle:
    """A bundle read back and checked: its manifest and its ops, in file order."""

    manifest: dict[str, Any]
    ops: list[Op]
    files: dict[str, bytes] = field(default_factory=dict)  # SHA-256 -> bytes, checked

    @property
    def carries_files(self) -> bool:
        """Format 2 or later: it holds every file its ops name that its exporter had."""
        return "files" in self.manifest

    @property
    def exporter_node(self) -> str:
        return str(self.manifest["exporter"]["node_id"])

    @property
    def exporter_key(self) -> str:
        return str(self.manifest["exporter"]["public_key"])

    @property
    def incident(self) -> str | None:
        value = self.manifest["incident"]
        return str(value) if value is not None else None


def ops_digest(ops: Iterable[Op]) -> str:
    """SHA-256 over the ops' hashes in order: which ops, in which order."""
    digest = hashlib.sha256()
    for op in ops:
        digest.update(op.hash.encode("ascii"))
    return digest.hexdigest()


def encode(
    manifest: dict[str, Any],
    ops: list[Op],
    signer: Signer,
    files: dict[str, bytes] | None = None,
) -> bytes:
    """The bundle's bytes; ``manifest`` gets ``count``, ``ops_digest`` and ``files`` (each
    attached file's SHA-256 and size) filled in here."""
    files = files or {}
    listed = [{"sha256": sha, "size": len(files[sha])} for sha in sorted(files)]
    full = {**manifest, "count": len(ops), "ops_digest": ops_digest(ops), "files": listed}
    head = MAGIC + b" %d\n" % FORMAT_VERSION + canonical_json(full).encode("utf-8") + b"\n"
    signature = signer.sign(head).encode("ascii") + b"\n"
    packer = zlib.compressobj(6)
    parts = [head, signature]
    for op in ops:
        body = {name: getattr(op, name) for name in OP_FIELDS}
        parts.append(packer.compress(canonical_json(body).encode("utf-8") + b"\n"))
    for sha in sorted(files):
        line = {"sha256": sha, "data": base64.b64encode(files[sha]).decode("ascii")}
        parts.append(packer.compress(canonical_json(line).encode("ascii") + b"\n"))
    parts.append(packer.flush())
    return b"".join(parts)


def decode(data: bytes, *, what: str) -> Bundle:
    """Read and check a bundle: header, manifest, signature, then every op.

    Raises:
        ValidationError: one sentence naming the first thing that fails (and, in the body,
            the op); nothing of a refused bundle is returned.
    """
    head, signature_line, body = _split(data, what)
    manifest = _manifest(head, what)
    _check_signature(head, signature_line, manifest, what)
    listed = _listed_files(manifest, what)
    files: dict[str, bytes] = {}
    ops = list(_ops(body, what, manifest["count"], listed, files))
    if len(ops) != manifest["count"]:
        raise ValidationError(
            f"{what} holds {len(ops):,} ops but its manifest lists {manifest['count']:,}: "
            "it was altered; nothing was imported."
        )
    if ops_digest(ops) != manifest["ops_digest"]:
        raise ValidationError(
            f"{what}'s ops are not the ones its signed manifest lists (first op "
            f"{ops[0].op_id if ops else '(none)'}): it was altered; nothing was imported."
        )
    missing = sorted(set(listed) - set(files))
    if missing:
        raise ValidationError(
            f"{what} lacks the file {missing[0]} its manifest lists: it was truncated or "
            "altered; nothing was imported."
        )
    return Bundle(manifest, ops, files)


def _listed_files(manifest: dict[str, Any], what: str) -> dict[str, int]:
    """SHA-256 -> size of the files the manifest lists (none before format 2)."""
    listed = manifest.get("files", [])
    damaged = ValidationError(f"{what}'s manifest is damaged (its 'files'); nothing was imported.")
    if not isinstance(listed, list):
        raise damaged
    found: dict[str, int] = {}
    for item in listed:
        if not isinstance(item, dict) or not _is_hash(item.get("sha256")):
            raise damaged
        size = item.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise damaged
        found[str(item["sha256"])] = size
    return found


def _file(line: bytes, listed: dict[str, int], files: dict[str, bytes], what: str) -> None:
    """One attached file line: listed in the signed manifest, and its bytes match it."""
    try:
        body = load_json(line, what=f"a file in {what}")
        sha, text = body["sha256"], body["data"]
        data = base64.b64decode(text, validate=True)
    except (ValidationError, TypeError, KeyError, binascii.Error):
        raise ValidationError(
            f"A file line of {what} is not readable; nothing was imported."
        ) from None
    if not isinstance(sha, str) or sha not in listed or sha in files:
        raise ValidationError(
            f"{what} holds a file its signed manifest does not list ({str(sha)[:64]}): it was "
            "altered; nothing was imported."
        )
    if len(data) != listed[sha] or hashlib.sha256(data).hexdigest() != sha:
        raise ValidationError(
            f"The file {sha} in {what} does not match the SHA-256 its manifest lists: it was "
            "altered; nothing was imported."
        )
    files[sha] = data


def _split(data: bytes, what: str) -> tuple[bytes, bytes, bytes]:
    first = data.find(b"\n")
    if first < 0 or not data.startswith(MAGIC + b" "):
        raise ValidationError(f"{what} is not a Commander bundle (its first line is wrong).")
    version = data[len(MAGIC) + 1 : first]
    if not version.isdigit():
        raise ValidationError(f"{what} has a damaged header line; nothing was imported.")
    if int(version) > FORMAT_VERSION:
        raise ValidationError(
            f"{what} is bundle format {int(version)}, newer than this Commander reads "
            f"({FORMAT_VERSION}): upgrade Commander to import it."
        )
    if int(version) < _OLDEST_READ:
        raise ValidationError(f"{what} has a damaged header line; nothing was imported.")
    second = data.find(b"\n", first + 1)
    third = data.find(b"\n", second + 1) if second >= 0 else -1
    if second < 0 or third < 0:
        raise ValidationError(f"{what} is truncated inside its manifest; nothing was imported.")
    return data[: second + 1], data[second + 1 : third], data[third + 1 :]


def _manifest(head: bytes, what: str) -> dict[str, Any]:
    line = head[head.find(b"\n") + 1 : -1]
    try:
        manifest = load_json(line, what=f"{what}'s manifest")
    except ValidationError:
        raise ValidationError(f"{what}'s manifest is damaged; nothing was imported.") from None
    if not isinstance(manifest, dict):
        raise ValidationError(f"{what}'s manifest is damaged; nothing was imported.")
    for key, kind in _MANIFEST_KEYS.items():
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise ValidationError(
                f"{what}'s manifest is damaged (its {key!r} is missing or wrong); "
                "nothing was imported."
            )
    exporter = manifest["exporter"]
    for key in ("node_id", "author", "public_key"):
        if not isinstance(exporter.get(key), str):
            raise ValidationError(
                f"{what}'s manifest is damaged (the exporter's {key!r}); nothing was imported."
            )
    for key in ("since", "heads"):
        if not all(_is_hash(value) for value in manifest[key].values()):
            raise ValidationError(
                f"{what}'s manifest is damaged (its {key!r}); nothing was imported."
            )
    return manifest


def _check_signature(
    head: bytes, signature_line: bytes, manifest: dict[str, Any], what: str
) -> None:
    text = signature_line.decode("ascii", "replace")
    key = manifest["exporter"]["public_key"]
    if len(text) != 128 or not set(text) <= _HEX or not _is_hash(key):
        raise ValidationError(f"{what}'s signature line is damaged; nothing was imported.")
    verifier = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key))
    try:
        verifier.verify(bytes.fromhex(text), head)
    except InvalidSignature:
        raise ValidationError(
            f"{what}'s signature does not hold under the key {fingerprint(key)} it names: "
            "its header or manifest was altered; nothing was imported."
        ) from None


def _ops(
    body: bytes, what: str, count: int, listed: dict[str, int], files: dict[str, bytes]
) -> Iterator[Op]:
    """Each op of the compressed body, checked against its hash, as soon as it is whole;
    the lines after the ``count`` ops are attached files, checked into ``files``.

    Unpacked a chunk at a time, so a small file cannot unpack into unbounded memory.
    """
    unpacker = zlib.decompressobj()
    source = body
    pending = b""
    total = position = 0
    last = "before its first op"
    while True:
        try:
            chunk = unpacker.decompress(source, _CHUNK)
        except zlib.error:
            raise ValidationError(
                f"{what} is damaged after op #{position} ({last}): its compressed data "
                "does not read back; nothing was imported."
            ) from None
        source = unpacker.unconsumed_tail
        total += len(chunk)
        if total > BUNDLE_DATA_MAX:
            raise ValidationError(
                f"{what} unpacks to more than {BUNDLE_DATA_MAX // (1 << 20):,} MiB, the limit."
            )
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if position >= count and listed:
                _file(line, listed, files, what)
                continue
            position += 1
            op = _op(line, position, what)
            last = f"op {op.op_id}"
            yield op
        if unpacker.eof or (not chunk and not source):
            break
    if not unpacker.eof or pending or unpacker.unused_data:
        raise ValidationError(
            f"{what} is truncated or has bytes after its end (after op #{position}, {last}); "
            "nothing was imported."
        )


def _op(line: bytes, position: int, what: str) -> Op:
    where = f"Op #{position} of {what}"
    try:
        body = load_json(line, what=where)
    except ValidationError:
        raise ValidationError(f"{where} is not readable; nothing was imported.") from None
    if not isinstance(body, dict) or set(body) != set(OP_FIELDS):
        raise ValidationError(f"{where} does not have an op's fields; nothing was imported.")
    try:
        op = Op(**body)
        _check_types(op)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{where} does not have an op's fields; nothing was imported."
        ) from None
    check_stored_value(
        [op.op_id, op.node_id, op.hlc, op.entity, op.entity_id, op.field, op.author, op.value],
        what=f"Op {op.op_id} in {what}",
    )
    if op.schema_version > SCHEMA_VERSION:
        raise ValidationError(
            f"{what} holds changes from a newer Commander (op schema {op.schema_version}); "
            "upgrade Commander to import it."
        )
    if op.compute_hash() != op.hash:
        raise ValidationError(
            f"Op {op.op_id} (#{position}) in {what} "
            "does not match its hash: it was altered; nothing was imported."
        )
    return op


def _check_types(op: Op) -> None:
    texts = (op.op_id, op.node_id, op.hlc, op.incident_id, op.entity, op.entity_id, op.field)
    if not all(isinstance(item, str) for item in (*texts, op.author, op.signature)):
        raise TypeError("an op's text fields must be text")
    if not isinstance(op.schema_version, int) or isinstance(op.schema_version, bool):
        raise TypeError("schema version")
    if not (_is_hash(op.hash) and _is_hash(op.prev_hash)):
        raise ValueError("hashes")


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == _HASH_CHARS and set(value) <= _HEX


def manifest_heads(data: bytes, *, what: str) -> dict[str, str]:
    """The heads an earlier bundle reached (node -> hash), for ``--since-bundle``; the
    earlier bundle's signature is checked, its body is not read."""
    head, signature_line, _ = _split(data, what)
    manifest = _manifest(head, what)
    _check_signature(head, signature_line, manifest, what)
    return {str(node): str(value) for node, value in manifest["heads"].items()}


def dumps_manifest(manifest: dict[str, Any]) -> str:
    """The manifest as people read it (``bundle show``)."""
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
