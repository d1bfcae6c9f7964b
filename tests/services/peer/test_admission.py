"""Which peers a workspace trusts: first contacts pending, admitted keys, changed keys, behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commander.core.clock import FakeClock, iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.signing import Ed25519Signer, fingerprint
from commander.services.incidents import IncidentService
from commander.services.peer.admission import (
    PENDING_MAX,
    admit,
    admitted_entry,
    forget,
    introduce,
    list_peers,
    record_exchange,
    trusted_certificates,
)
from commander.services.workspace import Workspace
from commander.storage.peer_queries import node_heads
from commander.sync.peer_tls import node_certificate


def _introduce(ws: Workspace, signer: Ed25519Signer, node: str, author: str) -> str:
    return introduce(ws, signer.public_key, node, author, node_certificate(signer), "10.0.0.9:7455")


def test_a_first_contact_is_pending_until_admitted(workspace, clock: FakeClock) -> None:
    bob = Ed25519Signer.generate()
    assert _introduce(workspace, bob, "node-bob", "bob") == "pending"
    [peer] = list_peers(workspace)
    assert (peer.status, peer.author, peer.node_id, peer.address, peer.behind) == (
        "pending",
        "bob",
        "node-bob",
        "10.0.0.9:7455",
        None,
    )
    assert peer.seen_at == iso(clock.now()) and peer.fingerprint == fingerprint(bob.public_key)
    assert trusted_certificates(workspace) == []

    admitted = admit(workspace, f"  {peer.fingerprint.upper()} ")
    assert (admitted.status, admitted.author) == ("admitted", "bob")
    assert trusted_certificates(workspace) == [node_certificate(bob)]
    assert admitted_entry(workspace, bob.public_key)["admitted_at"] == iso(clock.now())
    assert [p.status for p in list_peers(workspace)] == ["admitted"]
    # an admitted peer that introduces itself again stays admitted, at its new address
    assert introduce(workspace, bob.public_key, "node-bob", "bob", b"\x01", "10.0.0.7:1") == (
        "admitted"
    )
    assert admitted_entry(workspace, bob.public_key)["address"] == "10.0.0.7:1"
    assert trusted_certificates(workspace) == [b"\x01"]


def test_admit_refuses_unknown_and_twice_in_one_sentence(workspace) -> None:
    bob = Ed25519Signer.generate()
    with pytest.raises(NotFoundError, match=r"^No pending peer has the fingerprint ab12 cd34: "):
        admit(workspace, "ab12 cd34")
    _introduce(workspace, bob, "node-bob", "bob")
    admit(workspace, fingerprint(bob.public_key))
    with pytest.raises(ValidationError, match=r"^The peer .* is already admitted\.$"):
        admit(workspace, fingerprint(bob.public_key))


def test_a_known_node_with_another_key_is_refused(workspace) -> None:
    old, new, other = Ed25519Signer.generate(), Ed25519Signer.generate(), Ed25519Signer.generate()
    _introduce(workspace, old, "node-bob", "bob")
    _introduce(workspace, other, "node-bob", "bob")  # both pending: nothing admitted yet
    admit(workspace, fingerprint(old.public_key))
    sentence = _introduce(workspace, new, "node-bob", "bob")
    assert sentence == (
        f"Refused: bob (node node-bob) now presents the key {fingerprint(new.public_key)}, "
        f"but its key here is {fingerprint(old.public_key)}; if the change is genuine, check "
        "the new fingerprint with its owner, 'commander peer forget' the old one and admit "
        "the new."
    )
    with pytest.raises(ValidationError, match=r"^Refused: bob \(node node-bob\) now presents"):
        admit(workspace, fingerprint(other.public_key))
    assert [(p.status, p.public_key) for p in list_peers(workspace)] == [
        ("admitted", old.public_key),
        ("pending", other.public_key),  # the refused admission changed nothing
    ]


def test_the_oldest_first_contact_goes_past_the_limit(workspace, clock: FakeClock) -> None:
    signers = [Ed25519Signer.generate() for _ in range(PENDING_MAX + 1)]
    for number, signer in enumerate(signers):
        _introduce(workspace, signer, f"node-{number}", f"p{number:02}")
        clock.advance(timedelta(seconds=1))
    pending = {p.public_key for p in list_peers(workspace)}
    assert len(pending) == PENDING_MAX
    assert signers[0].public_key not in pending and signers[-1].public_key in pending


def test_behind_counts_the_ops_a_peer_lacked_at_its_last_exchange(
    workspace, incidents: IncidentService
) -> None:
    bob = Ed25519Signer.generate()
    _introduce(workspace, bob, "node-bob", "bob")
    admit(workspace, fingerprint(bob.public_key))
    incidents.declare(title="API down", severity="P1")
    assert [p.behind for p in list_peers(workspace)] == [None]  # never synced
    with workspace.read() as conn:
        heads = node_heads(conn)
    record_exchange(workspace, bob.public_key, heads, "10.0.0.9:7455")
    assert [p.behind for p in list_peers(workspace)] == [0]
    incidents.declare(title="Queue stuck", severity="P2")
    [peer] = list_peers(workspace)
    assert peer.behind > 0 and peer.synced_at is not None
    record_exchange(workspace, Ed25519Signer.generate().public_key, {}, "x:1")  # not admitted
    assert len(list_peers(workspace)) == 1


def test_admitted_peers_come_first_and_forget_drops_either(workspace) -> None:
    carol, bob, dave = (Ed25519Signer.generate() for _ in range(3))
    _introduce(workspace, carol, "node-carol", "carol")
    _introduce(workspace, bob, "node-bob", "bob")
    _introduce(workspace, dave, "node-dave", "dave")
    admit(workspace, fingerprint(dave.public_key))
    assert [(p.status, p.author) for p in list_peers(workspace)] == [
        ("admitted", "dave"),
        ("pending", "bob"),
        ("pending", "carol"),
    ]
    assert forget(workspace, fingerprint(bob.public_key)).status == "pending"
    assert forget(workspace, fingerprint(dave.public_key)).status == "admitted"
    assert trusted_certificates(workspace) == []
    with pytest.raises(
        NotFoundError, match=r"^No admitted or pending peer has the fingerprint abcd\.$"
    ):
        forget(workspace, "abcd")
    assert [p.author for p in list_peers(workspace)] == ["carol"]
