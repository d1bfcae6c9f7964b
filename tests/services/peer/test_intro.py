"""First contact: each side records the other as pending and says so in one sentence."""

from __future__ import annotations

import socket
import threading

import pytest

from commander.core.errors import ValidationError
from commander.core.ops import canonical_json
from commander.core.signing import Ed25519Signer, fingerprint
from commander.services.peer.admission import admit, list_peers
from commander.services.peer.net import sync_with
from commander.sync import peer_wire
from commander.sync.peer_tls import introduction_context, node_certificate


def test_first_contact_leaves_both_pending_and_says_what_to_run(make, serve) -> None:
    alice, bob = make("alice"), make("bob")
    server, _events = serve(alice)
    alice_fp, bob_fp = fingerprint(alice.signer().public_key), fingerprint(bob.signer().public_key)
    with pytest.raises(ValidationError) as refused:
        sync_with(bob, "127.0.0.1", server.port)
    assert str(refused.value) == (
        f"Refused: alice (key {alice_fp}) is not admitted here; if 'commander node show' prints "
        f"that fingerprint on their side, run 'commander peer admit {alice_fp.replace(' ', '')}'; "
        f"this node (key {bob_fp}) is pending on their side until they admit it; "
        "nothing was exchanged."
    )
    assert [(p.status, p.author, p.node_id) for p in list_peers(bob)] == [
        ("pending", "alice", alice.node_id)
    ]
    assert [(p.status, p.author, p.node_id) for p in list_peers(alice)] == [
        ("pending", "bob", bob.node_id)
    ]
    admit(alice, bob_fp)  # admitted there, not here: only this side's half is said
    with pytest.raises(ValidationError) as refused:
        sync_with(bob, "127.0.0.1", server.port)
    assert "is not admitted here" in str(refused.value)
    assert "pending on their side" not in str(refused.value)


def test_an_introduction_for_another_connection_is_refused(make, serve) -> None:
    alice, bob = make("alice"), make("bob")
    server, events = serve(alice)
    signer = bob.signer()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        peer_wire.send_preamble(sock, peer_wire.INTRODUCE)
        with introduction_context(signer, server=False).wrap_socket(sock) as tls:
            peer_wire.read_json(tls)
            claim = {
                "nonce": "0" * 64,  # not the nonce this server sent
                "server_key": alice.signer().public_key,
                "node_id": bob.node_id,
                "author": "bob",
                "public_key": signer.public_key,
                "certificate": node_certificate(signer).hex(),
            }
            signature = signer.sign(
                b"commander-peer-introduction 1\n" + canonical_json(claim).encode("utf-8")
            )
            peer_wire.send_json(tls, {**claim, "signature": signature})
            with pytest.raises((ValidationError, peer_wire.PeerClosed, OSError)):
                peer_wire.read_json(tls)
    for _ in range(100):
        if events:
            break
        threading.Event().wait(0.05)
    assert events and events[0].endswith(
        "failed: A peer's introduction was not made for this connection."
    )
    assert list_peers(alice) == []


def test_an_introduction_signed_by_another_key_is_refused(make, serve) -> None:
    alice, bob = make("alice"), make("bob")
    server, _events = serve(alice)
    claimed, actual = Ed25519Signer.generate(), bob.signer()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        peer_wire.send_preamble(sock, peer_wire.INTRODUCE)
        with introduction_context(actual, server=False).wrap_socket(sock) as tls:
            hello = peer_wire.read_json(tls)
            claim = {
                "nonce": hello["nonce"],
                "server_key": alice.signer().public_key,
                "node_id": bob.node_id,
                "author": "bob",
                "public_key": claimed.public_key,
                "certificate": node_certificate(claimed).hex(),
            }
            signature = actual.sign(
                b"commander-peer-introduction 1\n" + canonical_json(claim).encode("utf-8")
            )
            peer_wire.send_json(tls, {**claim, "signature": signature})
            with pytest.raises(ValidationError, match="does not prove its key"):
                peer_wire.read_json(tls)
    assert list_peers(alice) == []
