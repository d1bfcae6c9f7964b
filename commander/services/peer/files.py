"""Attached files in a peer exchange: the files the sent ops name travel right after them.

An entry op carries its file's SHA-256 (the chain covers the digest); the bytes travel as one
message after the bundle: a count, then for each file its digest (64 hex digits), its length
(4 bytes, big-endian) and its bytes. The receiver checks each against the digest and size the
op records before it applies the op, and stores it in the same transaction (``merge_bundle``):
an op whose file is missing or altered refuses the bundle, as any failing op does.
"""

from __future__ import annotations

import struct

from sqlalchemy import Connection

from commander.core.attachments import AttachmentRef, ref_of
from commander.core.errors import ValidationError
from commander.core.limits import ATTACHMENT_FILE_MAX
from commander.core.ops import Entity, Field, Op
from commander.storage import blobs

_COUNT = struct.Struct(">I")
_DIGEST = 64


def file_ref(op: Op) -> AttachmentRef | None:
    """The file an op names: only an entry's create op carries one."""
    if op.entity != Entity.ENTRY or op.field != Field.CREATE:
        return None
    return ref_of(op.value)


def files_for(conn: Connection, ops: list[Op]) -> dict[str, bytes]:
    """digest -> bytes of every file ``ops`` name that this workspace holds."""
    found: dict[str, bytes] = {}
    for op in ops:
        ref = file_ref(op)
        if ref is not None and ref.sha256 not in found:
            data = blobs.get(conn, ref.sha256)
            if data is not None:
                found[ref.sha256] = data
    return found


def encode_files(files: dict[str, bytes]) -> bytes:
    parts = [_COUNT.pack(len(files))]
    for sha, data in sorted(files.items()):
        parts += [sha.encode("ascii"), _COUNT.pack(len(data)), data]
    return b"".join(parts)


def decode_files(data: bytes) -> dict[str, bytes]:
    """The files message back; ``ValidationError`` when it is not one (nothing is kept)."""
    bad = ValidationError("The peer's attached files do not read back; nothing was imported.")
    if len(data) < _COUNT.size:
        raise bad
    (count,) = _COUNT.unpack_from(data)
    at, files = _COUNT.size, {}
    for _ in range(count):
        sha = data[at : at + _DIGEST].decode("ascii", "replace")
        if len(sha) != _DIGEST or len(data) < at + _DIGEST + _COUNT.size:
            raise bad
        (size,) = _COUNT.unpack_from(data, at + _DIGEST)
        at += _DIGEST + _COUNT.size
        if size > ATTACHMENT_FILE_MAX or len(data) < at + size:
            raise bad
        files[sha] = data[at : at + size]
        at += size
    if at != len(data):
        raise bad
    return files
