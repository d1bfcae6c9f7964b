"""Peer sync in one process: a real ``PeerServer`` thread and real TLS on 127.0.0.1.

What the multi-process tests (tests/sync/test_peer_sync.py) do not reach cheaply: the node
certificate is the same bytes every time, an introduction signed by another key than the one
it claims is refused, a client without a certificate is refused, admitting and forgetting,
and a bundle signed by another key than the connection proved is refused.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from commander.core.attachments import digest
from commander.core.bundle_format import decode
from commander.core.clock import FakeClock
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ops import canonical_json
from commander.core.signing import Ed25519Signer, fingerprint
from commander.services.attachments import AttachmentService
from commander.services.bundles import encode_ops, merge_bundle
from commander.services.incidents import IncidentService
from commander.services.peer.admission import admit, forget, list_peers
from commander.services.peer.files import decode_files, encode_files
from commander.services.peer.net import PeerServer, sync_with
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import blobs, queries
from commander.sync import peer_wire
from commander.sync.peer_tls import certificate_key, introduction_context, node_certificate


@pytest.fixture
def make(tmp_path: Path, clock: FakeClock) -> Iterator:
    made: list[Workspace] = []

    def _make(author: str) -> Workspace:
        ws = Workspace.open(tmp_path / author, author=author, clock=clock, zone=UTC)
        made.append(ws)
        return ws

    yield _make
    for ws in made:
        ws.close()


@pytest.fixture
def serve() -> Iterator:
    running: list[tuple[PeerServer, threading.Event, threading.Thread]] = []

    def _serve(ws: Workspace) -> tuple[PeerServer, list[str]]:
        events: list[str] = []
        server = PeerServer(ws, "127.0.0.1", 0, on_event=events.append, timeout=10)
        stop = threading.Event()
        thread = threading.Thread(target=server.serve, args=(stop,), daemon=True)
        thread.start()
        running.append((server, stop, thread))
        return server, events

    yield _serve
    for server, stop, thread in running:
        stop.set()
        thread.join(5)
        server.close()


def _ops(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        return sorted(op.op_id for op in queries.ops_in_chain_order(conn))


def test_the_node_certificate_is_the_same_bytes_for_the_same_key() -> None:
    signer = Ed25519Signer.generate()
    first = node_certificate(signer)
    assert node_certificate(signer) == first
    assert certificate_key(first) == signer.public_key
    assert node_certificate(Ed25519Signer.generate()) != first


def test_admit_sync_forget(make, serve) -> None:
    alice, bob = make("alice"), make("bob")
    IncidentService(alice).declare(title="API down", severity="P1")
    server, events = serve(alice)
    with pytest.raises(ValidationError, match="not admitted here"):
        sync_with(bob, "127.0.0.1", server.port)
    alice_fp, bob_fp = fingerprint(alice.signer().public_key), fingerprint(bob.signer().public_key)
    assert [(p.status, p.fingerprint) for p in list_peers(bob)] == [("pending", alice_fp)]
    assert [(p.status, p.author) for p in list_peers(alice)] == [("pending", "bob")]
    with pytest.raises(NotFoundError, match="No pending peer"):
        admit(bob, "0000 0000")
    admit(bob, alice_fp.replace(" ", "").upper())
    with pytest.raises(ValidationError, match="already admitted"):
        admit(bob, alice_fp)
    with pytest.raises(ValidationError, match="pending on their side"):
        sync_with(bob, "127.0.0.1", server.port)  # admitted here, not yet there
    admit(alice, bob_fp)
    done = sync_with(bob, "127.0.0.1", server.port)
    assert done.received == len(_ops(alice)) and done.sent == 0
    assert _ops(alice) == _ops(bob)
    assert [p.behind for p in list_peers(bob)] == [0]
    IncidentService(alice).declare(title="Queue stuck", severity="P2")
    assert sync_with(bob, "127.0.0.1", server.port).received > 0

    forget(alice, bob_fp)
    with pytest.raises(ValidationError, match="pending on their side"):
        sync_with(bob, "127.0.0.1", server.port)
    assert any("first contact" in event for event in events)
    with pytest.raises(NotFoundError):
        forget(alice, "abcd")


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


def test_a_client_without_an_admitted_certificate_gets_nothing(make, serve) -> None:
    alice = make("alice")
    IncidentService(alice).declare(title="API down", severity="P1")
    server, events = serve(alice)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        peer_wire.send_preamble(sock, peer_wire.EXCHANGE)
        with (
            pytest.raises((ssl.SSLError, OSError, ValidationError)),
            context.wrap_socket(sock) as tls,
        ):
            peer_wire.send_json(tls, {"node_id": "x", "author": "x", "heads": {}})
            peer_wire.read_json(tls)
    for _ in range(50):
        if events:
            break
        threading.Event().wait(0.05)
    assert events and "did not prove an admitted key" in events[0]


def test_a_bundle_signed_by_another_key_than_the_proven_one_is_refused(make) -> None:
    alice, bob = make("alice"), make("bob")
    IncidentService(alice).declare(title="API down", severity="P1")
    with alice.read() as conn:
        ops = list(queries.ops_in_chain_order(conn))
    bundle = decode(encode_ops(alice, ops, since={}, heads={}), what="the changes from alice")
    with pytest.raises(ValidationError, match="not by the key"):
        merge_bundle(bob, bundle, what="x", proven_key=Ed25519Signer.generate().public_key)
    assert _ops(bob) == []
    merge_bundle(bob, bundle, what="x", proven_key=alice.signer().public_key)
    assert _ops(bob) == _ops(alice)


def test_attached_files_travel_with_their_ops_and_are_checked(make, serve) -> None:
    alice, bob = make("alice"), make("bob")
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    AttachmentService(alice).attach(incident.id, png, "graph.png")
    server, _events = serve(alice)
    with pytest.raises(ValidationError):
        sync_with(bob, "127.0.0.1", server.port)
    admit(bob, fingerprint(alice.signer().public_key))
    admit(alice, fingerprint(bob.signer().public_key))
    assert sync_with(bob, "127.0.0.1", server.port).received == len(_ops(alice))
    with bob.read() as conn:
        assert blobs.get(conn, digest(png)) == png
    assert verify_workspace(bob).ok

    carol = make("carol")  # the same ops with the file altered, or without it: refused whole
    with alice.read() as conn:
        ops = list(queries.ops_in_chain_order(conn))
    bundle = decode(encode_ops(alice, ops, since={}, heads={}), what="the changes from alice")
    key = alice.signer().public_key
    altered = png[:-1] + b"\0"
    with pytest.raises(ValidationError, match="does not match the SHA-256"):
        merge_bundle(carol, bundle, what="x", proven_key=key, files={digest(png): altered})
    with pytest.raises(ValidationError, match="did not come with it"):
        merge_bundle(carol, bundle, what="x", proven_key=key, files={})
    assert _ops(carol) == []
    files = decode_files(encode_files({digest(png): png}))
    assert merge_bundle(carol, bundle, what="x", proven_key=key, files=files).imported == len(ops)
    with pytest.raises(ValidationError, match="do not read back"):
        decode_files(encode_files({digest(png): png})[:-1])
