"""The peer protocol's framing: a preamble naming the mode, then length-prefixed messages.

Before TLS starts, the connecting side sends ``CMDPEER1`` and one byte: ``P`` for an exchange
(mutual TLS with pinned keys) or ``I`` for a first-contact introduction (the server proves its
key; the client proves its own by a signature; nothing but a *pending* entry results). Inside
TLS every message is one kind byte, a 4-byte big-endian length and the payload; ``J`` carries
JSON, ``B`` a bundle, ``F`` the attached files its ops name (``services.peer.files``). A
message longer than its kind's limit ends the connection.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
from typing import Any

from commander.core.errors import ValidationError
from commander.core.limits import BUNDLE_FILE_MAX, load_json
from commander.core.ops import canonical_json

PREAMBLE = b"CMDPEER1"
EXCHANGE = b"P"
INTRODUCE = b"I"
JSON_KIND = b"J"
BUNDLE_KIND = b"B"
FILES_KIND = b"F"
JSON_MAX = 16 << 20
_LIMITS = {JSON_KIND: JSON_MAX, BUNDLE_KIND: BUNDLE_FILE_MAX, FILES_KIND: BUNDLE_FILE_MAX}
_HEADER = struct.Struct(">cI")


class PeerClosed(ValidationError):
    """The other side closed the connection before a whole message arrived."""


def send_preamble(sock: socket.socket, mode: bytes) -> None:
    sock.sendall(PREAMBLE + mode)


def read_preamble(sock: socket.socket) -> bytes:
    """The mode the connecting side asked for; ``ValidationError`` for anything else."""
    data = _read_exactly(sock, len(PREAMBLE) + 1)
    if data[: len(PREAMBLE)] != PREAMBLE or data[-1:] not in (EXCHANGE, INTRODUCE):
        raise ValidationError("The connecting program does not speak Commander's peer protocol.")
    return data[-1:]


def send_json(sock: socket.socket, value: dict[str, Any]) -> None:
    _send(sock, JSON_KIND, canonical_json(value).encode("utf-8"))


def send_bundle(sock: socket.socket, data: bytes) -> None:
    _send(sock, BUNDLE_KIND, data)


def read_json(sock: socket.socket) -> dict[str, Any]:
    value = load_json(_read(sock, JSON_KIND), what="the peer's message")
    if not isinstance(value, dict):
        raise ValidationError("The peer sent a message that is not one of the protocol's.")
    if isinstance(value.get("error"), str):  # the other side refused, in one sentence
        raise ValidationError(f"The peer refused: {value['error']}")
    return value


def read_bundle(sock: socket.socket) -> bytes:
    return _read(sock, BUNDLE_KIND)


def send_files(sock: socket.socket, data: bytes) -> None:
    _send(sock, FILES_KIND, data)


def read_files(sock: socket.socket) -> bytes:
    return _read(sock, FILES_KIND)


def send_error(sock: socket.socket, sentence: str) -> None:
    """Tell the other side why this side stops (best effort: it may be gone already)."""
    with contextlib.suppress(OSError):
        _send(sock, JSON_KIND, json.dumps({"error": sentence}).encode("utf-8"))


def _send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(_HEADER.pack(kind, len(payload)) + payload)


def _read(sock: socket.socket, kind: bytes) -> bytes:
    got, length = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    if got == JSON_KIND and kind != JSON_KIND:  # a refusal arrives where data was expected
        value = load_json(_read_body(sock, length, JSON_MAX), what="the peer's message")
        reason = value.get("error") if isinstance(value, dict) else None
        raise ValidationError(f"The peer refused: {reason}" if reason else "Protocol error.")
    if got != kind:
        raise ValidationError("The peer sent a message out of the protocol's order.")
    return _read_body(sock, length, _LIMITS[kind])


def _read_body(sock: socket.socket, length: int, limit: int) -> bytes:
    if length > limit:
        raise ValidationError(
            f"The peer sent a message of {length:,} bytes, over the {limit:,}-byte limit."
        )
    return _read_exactly(sock, length)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    parts: list[bytes] = []
    left = size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise PeerClosed("The peer closed the connection in the middle of the exchange.")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
