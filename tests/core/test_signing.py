"""Signatures: a node's first key op pins its Ed25519 key; after it every op of that node
must be signed by that key, before it ops are unsigned; anything else is one sentence why not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, Op
from commander.core.signing import (
    SIGNED,
    UNSIGNED,
    Ed25519Signer,
    KeyLedger,
    SignatureProblem,
    fingerprint,
    is_key_op,
    key_of,
    key_op_value,
    verify_signatures,
)

SIGNER_A = Ed25519Signer.from_hex("01" * 32)
SIGNER_B = Ed25519Signer.from_hex("02" * 32)


def op(n: int, node: str = "node-a", **changes: object) -> Op:
    base = Op(
        op_id=f"op-{node}-{n}",
        node_id=node,
        hlc=f"{1_000 + n:015d}.000000",
        incident_id="inc-1",
        entity=Entity.INCIDENT,
        entity_id=f"e{n}",
        field=Field.TITLE,
        value=f"event {n}",
        author="alice",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def key_op(signer: Ed25519Signer, node: str = "node-a", **changes: object) -> Op:
    unsigned = op(
        0,
        node,
        incident_id=WORKSPACE_SCOPE,
        entity=Entity.NODE,
        entity_id=node,
        field=Field.KEY,
        value=key_op_value(signer.public_key),
    )
    return replace(signed(unsigned, signer), **changes)  # type: ignore[arg-type]


def signed(unsigned: Op, signer: Ed25519Signer) -> Op:
    return replace(unsigned, signature=signer.sign(unsigned.signed_bytes()))


def test_a_key_round_trips_through_hex_and_signs_deterministically() -> None:
    again = Ed25519Signer.from_hex(SIGNER_A.private_hex())
    assert again.public_key == SIGNER_A.public_key
    assert len(SIGNER_A.public_key) == 64
    assert SIGNER_A.sign(b"x") == again.sign(b"x")
    assert len(SIGNER_A.sign(b"x")) == 128
    assert SIGNER_A.public_key != SIGNER_B.public_key


def test_a_fingerprint_is_eight_groups_of_four_hex_digits() -> None:
    print_a = fingerprint(SIGNER_A.public_key)
    groups = print_a.split(" ")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert print_a == fingerprint(SIGNER_A.public_key)
    assert print_a != fingerprint(SIGNER_B.public_key)
    # the first 16 bytes of SHA-256 over the raw key bytes
    assert fingerprint("00" * 32) == "6668 7aad f862 bd77 6c8f c18b 8e9f 8e20"


def test_key_of_reads_only_a_well_formed_ed25519_key() -> None:
    good = key_op(SIGNER_A)
    assert is_key_op(good) and not is_key_op(op(1))
    assert key_of(good) == SIGNER_A.public_key
    for value in (
        {"algorithm": "rsa", "public_key": SIGNER_A.public_key},
        {"algorithm": "ed25519", "public_key": SIGNER_A.public_key.upper()},
        {"algorithm": "ed25519", "public_key": SIGNER_A.public_key[:-2]},
        {"algorithm": "ed25519"},
        SIGNER_A.public_key,
    ):
        assert key_of(replace(good, value=value)) is None


def test_ops_before_a_key_are_unsigned_and_after_it_must_be_signed() -> None:
    ledger = KeyLedger()
    assert ledger.check(op(1)) == (UNSIGNED, None)
    assert ledger.check(key_op(SIGNER_A)) == (SIGNED, None)
    assert ledger.keys == {"node-a": SIGNER_A.public_key}
    assert ledger.check(signed(op(2), SIGNER_A)) == (SIGNED, None)
    status, problem = ledger.check(op(3))
    assert status == UNSIGNED
    assert problem == (
        "it is unsigned, but its node signs every op since it introduced the key "
        f"{fingerprint(SIGNER_A.public_key)}"
    )


def test_an_op_signed_by_another_key_or_altered_after_signing_does_not_verify() -> None:
    ledger = KeyLedger({"node-a": SIGNER_A.public_key})
    expected = (
        SIGNED,
        f"its signature does not verify under its node's key {fingerprint(SIGNER_A.public_key)}",
    )
    assert ledger.check(signed(op(1), SIGNER_B)) == expected
    assert ledger.check(replace(signed(op(1), SIGNER_A), value="changed")) == expected
    assert ledger.check(replace(op(1), signature="not hex")) == expected


def test_without_verify_only_the_signatures_form_is_checked() -> None:
    ledger = KeyLedger({"node-a": SIGNER_A.public_key})
    forged = signed(op(1), SIGNER_B)
    assert ledger.check(forged, verify=False) == (SIGNED, None)
    assert not ledger.signature_holds(forged)
    assert ledger.signature_holds(signed(op(1), SIGNER_A))
    _, problem = ledger.check(replace(op(1), signature="ab" * 63), verify=False)
    assert problem is not None and problem.startswith("its signature does not verify")


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (
            lambda: key_op(SIGNER_A, entity_id="node-b"),
            "it introduces a key for another node than its own",
        ),
        (
            lambda: key_op(SIGNER_A, incident_id="inc-1"),
            "it introduces a key for another node than its own",
        ),
        (
            lambda: key_op(SIGNER_A, value={"algorithm": "ed25519", "public_key": "zz" * 32}),
            "its signing key is not a well-formed Ed25519 public key",
        ),
        (
            lambda: replace(key_op(SIGNER_A), signature=key_op(SIGNER_B).signature),
            "it is not signed by the key it introduces",
        ),
        (
            lambda: signed(op(1), SIGNER_A),
            "it is signed, but its node never introduced a signing key",
        ),
    ],
)
def test_each_forgery_gets_its_sentence_and_pins_nothing(make, problem: str) -> None:
    ledger = KeyLedger()
    assert ledger.check(make()) == (SIGNED, problem)
    assert ledger.keys == {}


def test_a_second_key_for_a_node_is_refused_and_the_first_stays_pinned() -> None:
    ledger = KeyLedger()
    ledger.check(key_op(SIGNER_A))
    _, problem = ledger.check(key_op(SIGNER_B))
    assert problem == (
        f"its node already has the key {fingerprint(SIGNER_A.public_key)}; a key is pinned at "
        "the node's first key op and never replaced"
    )
    assert ledger.keys == {"node-a": SIGNER_A.public_key}


def test_verify_signatures_counts_and_reports_each_nodes_first_problem() -> None:
    log = [
        op(1),  # node-a before signing
        key_op(SIGNER_A),
        signed(op(2), SIGNER_A),
        key_op(SIGNER_B, node="node-b"),
        signed(op(1, "node-b"), SIGNER_A),  # node-b's op signed with node-a's key
        signed(op(2, "node-b"), SIGNER_B),  # skipped: node-b already failed
        op(3),  # unsigned after the key
    ]
    report = verify_signatures(log)
    assert (report.signed, report.unsigned) == (3, 1)
    assert report.keys == {"node-a": SIGNER_A.public_key, "node-b": SIGNER_B.public_key}
    assert [(p.node_id, p.op_id, p.position) for p in report.problems] == [
        ("node-b", "op-node-b-1", 1),
        ("node-a", "op-node-a-3", 3),
    ]
    assert isinstance(report.problems[0], SignatureProblem)
    assert report.problems[0].reason.startswith("its signature does not verify under")


def test_an_empty_log_has_nothing_to_report() -> None:
    report = verify_signatures([])
    assert (report.problems, report.signed, report.unsigned, report.keys) == ([], 0, 0, {})
