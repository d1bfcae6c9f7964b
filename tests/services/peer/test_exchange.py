"""Peer sync in one process: a real ``PeerServer`` thread and real TLS on 127.0.0.1.

What the multi-process tests (tests/sync/test_peer_sync.py) do not reach cheaply: the node
certificate is the same bytes every time, a bundle signed by another key than the connection
proved is refused, and attached files travel with their ops. Admission, introductions and the
transport have their own files beside this one.
"""

from __future__ import annotations

import pytest

from commander.core.attachments import digest
from commander.core.bundle_format import decode
from commander.core.errors import ValidationError
from commander.core.signing import Ed25519Signer, fingerprint
from commander.services.attachments import AttachmentService
from commander.services.bundles import encode_ops, merge_bundle
from commander.services.incidents import IncidentService
from commander.services.peer.admission import admit
from commander.services.peer.files import decode_files, encode_files
from commander.services.peer.net import sync_with
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import blobs, queries
from commander.sync.peer_tls import certificate_key, node_certificate


def _ops(ws: Workspace) -> list[str]:
    with ws.read() as conn:
        return sorted(op.op_id for op in queries.ops_in_chain_order(conn))


def test_the_node_certificate_is_the_same_bytes_for_the_same_key() -> None:
    signer = Ed25519Signer.generate()
    first = node_certificate(signer)
    assert node_certificate(signer) == first
    assert certificate_key(first) == signer.public_key
    assert node_certificate(Ed25519Signer.generate()) != first


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
