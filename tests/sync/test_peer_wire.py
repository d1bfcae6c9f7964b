"""The peer protocol's framing: preamble, length-prefixed messages, limits and refusals."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator

import pytest

from commander.core.errors import ValidationError
from commander.sync import peer_wire


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair()
    yield left, right
    left.close()
    right.close()


@pytest.mark.parametrize("mode", [peer_wire.EXCHANGE, peer_wire.INTRODUCE])
def test_the_preamble_names_the_mode(pair, mode):
    left, right = pair
    peer_wire.send_preamble(left, mode)
    assert peer_wire.read_preamble(right) == mode


@pytest.mark.parametrize("data", [b"CMDPEER1X", b"GET / HTTP"], ids=["mode", "program"])
def test_another_preamble_is_not_the_peer_protocol(pair, data):
    left, right = pair
    left.sendall(data)
    with pytest.raises(ValidationError, match="does not speak Commander's peer protocol"):
        peer_wire.read_preamble(right)


def test_messages_arrive_whole_and_in_order(pair):
    left, right = pair
    peer_wire.send_json(left, {"b": [1, 2], "a": "é"})
    peer_wire.send_bundle(left, b"bundle bytes")
    peer_wire.send_files(left, b"")
    assert peer_wire.read_json(right) == {"a": "é", "b": [1, 2]}
    assert peer_wire.read_bundle(right) == b"bundle bytes"
    assert peer_wire.read_files(right) == b""


def test_a_refusal_arrives_as_a_sentence_where_json_or_data_was_expected(pair):
    left, right = pair
    peer_wire.send_error(left, "This node is not admitted.")
    with pytest.raises(ValidationError, match=r"^The peer refused: This node is not admitted\.$"):
        peer_wire.read_json(right)
    peer_wire.send_error(left, "Busy.")
    with pytest.raises(ValidationError, match=r"^The peer refused: Busy\.$"):
        peer_wire.read_bundle(right)


def test_a_message_out_of_order_is_a_protocol_error(pair):
    left, right = pair
    peer_wire.send_bundle(left, b"early")
    with pytest.raises(ValidationError, match="out of the protocol's order"):
        peer_wire.read_json(right)


def test_a_json_message_that_is_not_an_object_is_refused(pair):
    left, right = pair
    left.sendall(struct.pack(">cI", peer_wire.JSON_KIND, 2) + b"[]")
    with pytest.raises(ValidationError, match="not one of the protocol's"):
        peer_wire.read_json(right)


def test_a_message_over_its_kinds_limit_ends_the_exchange_before_its_body(pair):
    left, right = pair
    left.sendall(struct.pack(">cI", peer_wire.JSON_KIND, peer_wire.JSON_MAX + 1))
    with pytest.raises(ValidationError, match="over the 16,777,216-byte limit"):
        peer_wire.read_json(right)


def test_a_connection_closed_mid_message_is_peer_closed(pair):
    left, right = pair
    left.sendall(struct.pack(">cI", peer_wire.BUNDLE_KIND, 10) + b"abc")
    left.close()
    with pytest.raises(peer_wire.PeerClosed, match="closed the connection"):
        peer_wire.read_bundle(right)


def test_send_error_to_a_gone_peer_is_silent(pair):
    left, right = pair
    right.close()
    peer_wire.send_error(left, "too late")
    with pytest.raises(OSError):
        left.sendall(b"x" * 1_000_000)
