"""Peer TLS: a node's certificate carries its key, and only admitted keys complete a handshake."""

from __future__ import annotations

import socket
import ssl
import threading

import pytest

from commander.core.errors import ValidationError
from commander.core.signing import Ed25519Signer
from commander.sync import peer_tls


def test_a_nodes_certificate_is_the_same_bytes_each_time_and_carries_its_key():
    signer = Ed25519Signer.generate()
    der = peer_tls.node_certificate(signer)
    assert peer_tls.node_certificate(signer) == der
    assert peer_tls.certificate_key(der) == signer.public_key
    assert peer_tls.is_self_signed_by_its_key(der)


def test_an_unreadable_certificate_is_refused_and_not_self_signed():
    with pytest.raises(ValidationError, match="not readable"):
        peer_tls.certificate_key(b"not a certificate")
    assert not peer_tls.is_self_signed_by_its_key(b"not a certificate")


def _handshake(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> tuple[object, object]:
    """Both sides' outcome: the peer key each saw, or the exception it raised."""
    listener = socket.create_server(("127.0.0.1", 0))
    outcome: dict[str, object] = {}

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                outcome["server"] = peer_tls.peer_key(tls)[0]
                tls.sendall(b"k")
        except (ssl.SSLError, OSError, ValidationError) as exc:
            outcome["server"] = exc

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with (
            socket.create_connection(listener.getsockname(), timeout=10) as raw,
            client_ctx.wrap_socket(raw) as tls,
        ):
            outcome["client"] = peer_tls.peer_key(tls)[0]
            tls.recv(1)
    except (ssl.SSLError, OSError, ValidationError) as exc:
        outcome["client"] = exc
    thread.join(10)
    listener.close()
    return outcome["server"], outcome["client"]


def test_admitted_nodes_see_each_others_keys():
    alice, bob = Ed25519Signer.generate(), Ed25519Signer.generate()
    server_ctx = peer_tls.server_context(alice, [peer_tls.node_certificate(bob)])
    client_ctx = peer_tls.client_context(bob, [peer_tls.node_certificate(alice)])
    assert _handshake(server_ctx, client_ctx) == (bob.public_key, alice.public_key)


def test_a_node_not_admitted_cannot_complete_the_handshake():
    alice, bob, eve = (Ed25519Signer.generate() for _ in range(3))
    server_ctx = peer_tls.server_context(alice, [peer_tls.node_certificate(bob)])
    client_ctx = peer_tls.client_context(eve, [peer_tls.node_certificate(alice)])
    server_side, client_side = _handshake(server_ctx, client_ctx)
    assert isinstance(server_side, ssl.SSLError | OSError)
    assert isinstance(client_side, ssl.SSLError | OSError)


def test_an_introduction_proves_the_servers_key_and_trusts_nobody():
    alice, bob = Ed25519Signer.generate(), Ed25519Signer.generate()
    server_ctx = peer_tls.introduction_context(alice, server=True)
    client_ctx = peer_tls.introduction_context(bob, server=False)
    server_side, client_side = _handshake(server_ctx, client_ctx)
    assert client_side == alice.public_key
    assert isinstance(server_side, ValidationError)
    assert "presented no certificate" in str(server_side)
