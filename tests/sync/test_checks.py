"""``checks.screen``: a pulled row failing a check is quarantined with its reason; others pass."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from commander.core.clock import FakeClock, to_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import GENESIS_HASH, OP_FIELDS, Op
from commander.core.signing import Ed25519Signer, fingerprint
from commander.services.workspace import Workspace
from commander.storage.database import dbapi
from commander.sync import checks, local
from tests.sync.attack import crafted, key_op

NODE = "01a00000-0000-7000-8000-0000000000cc"
OTHER = "01a00000-0000-7000-8000-0000000000dd"
_ticks = itertools.count(1)


@pytest.fixture
def ws(tmp_path: Path, clock: FakeClock) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "ws", author="alice", clock=clock, zone=UTC)
    yield workspace
    workspace.close()


def stamp(clock: FakeClock) -> str:
    return HlcStamp(to_ms(clock.now()), next(_ticks)).encode()


def row(op: Op, seq: int, **changed: Any) -> tuple[Any, ...]:
    """A server row as a pull reads it: ``(seq, effective_hlc, *OP_FIELDS)``."""
    columns = {name: getattr(op, name) for name in OP_FIELDS}
    columns["value"] = op.value_json()
    columns.update(changed)
    return (seq, op.hlc, *columns.values())


def chain(clock: FakeClock, signer: Ed25519Signer, count: int, node: str = NODE) -> list[Op]:
    """A node's key op and ``count`` signed entry ops after it."""
    ops = [key_op(node, "mallory", signer)]
    ops[0] = crafted(
        node_id=node,
        author="mallory",
        prev_hash=GENESIS_HASH,
        entity=ops[0].entity,
        incident_id=ops[0].incident_id,
        entity_id=node,
        field=ops[0].field,
        value=ops[0].value,
        signer=signer,
        hlc=stamp(clock),
    )
    for n in range(count):
        ops.append(
            crafted(
                node_id=node,
                author="mallory",
                prev_hash=ops[-1].hash,
                value={"event": f"entry {n}"},
                signer=signer,
                hlc=stamp(clock),
            )
        )
    return ops


def screen(ws: Workspace, rows: list[tuple[Any, ...]], **kwargs: Any):  # type: ignore[no-untyped-def]
    with ws.write() as conn:
        return checks.screen(conn, rows, revoked=kwargs.get("revoked", {}), wall_ms=0)


def reasons(problems: list[checks.Quarantined]) -> dict[str, str]:
    return {problem.op_id: problem.reason for problem in problems}


def test_an_intact_signed_chain_is_accepted_whole(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 3)
    rows = [row(op, n) for n, op in enumerate(ops, 1)]
    with ws.write() as conn:
        verified: dict[str, Op] = {}
        accepted, problems = checks.screen(conn, rows, revoked={}, wall_ms=0, verified=verified)
    assert accepted == rows and problems == []
    assert set(verified) == {op.op_id for op in ops}


def test_a_tampered_value_is_quarantined_and_its_successors_with_it(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 3)
    rows = [row(op, n) for n, op in enumerate(ops, 1)]
    rows[2] = row(ops[2], 3, value='{"event":"forged"}')
    accepted, problems = screen(ws, rows)
    assert accepted == rows[:2]
    assert reasons(problems) == {
        ops[2].op_id: "its content does not match its hash (changed after it was written)",
        ops[3].op_id: "it continues an op that was quarantined",
    }
    assert [p.server_seq for p in problems] == [3, 4]
    assert problems[0].author == "mallory" and problems[0].node_id == NODE


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("{not json", "its value is not valid JSON"),
        ('{"event": "entry 0"}', "its value is not in the canonical form its hash covers"),
    ],
    ids=["not-json", "not-canonical"],
)
def test_a_value_that_is_not_canonical_json_is_quarantined(ws, clock, value, reason):
    ops = chain(clock, Ed25519Signer.generate(), 1)
    rows = [row(ops[0], 1), row(ops[1], 2, value=value)]
    accepted, problems = screen(ws, rows)
    assert accepted == rows[:1]
    assert reasons(problems) == {ops[1].op_id: reason}


def test_a_broken_stamp_or_wrong_field_types_are_quarantined(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 2)
    rows = [row(ops[0], 1), row(ops[1], 2, hlc="yesterday"), row(ops[2], 3, schema_version="1")]
    accepted, problems = screen(ws, rows)
    assert accepted == rows[:1]
    assert reasons(problems) == {
        ops[1].op_id: "its stamp is not a clock stamp",
        ops[2].op_id: "it is not an op of any schema (wrong field types)",
    }


def test_an_op_that_does_not_continue_its_nodes_chain_is_quarantined(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 2)
    rows = [row(ops[0], 1), row(ops[2], 2)]  # ops[1] never arrives: the link is missing
    accepted, problems = screen(ws, rows)
    assert accepted == rows[:1]
    assert reasons(problems) == {
        ops[2].op_id: "it does not continue its node's chain (no op of that node has its prev_hash)"
    }


def forge(op: Op) -> Op:
    return Op(**{**op.__dict__, "signature": Ed25519Signer.generate().sign(b"forged")})


def test_a_bad_signature_is_named_and_the_ops_after_it_follow_it_aside(ws, clock):
    signer = Ed25519Signer.generate()
    ops = chain(clock, signer, 3)
    rows = [row(ops[0], 1), row(ops[1], 2), row(forge(ops[2]), 3), row(forge(ops[3]), 4)]
    accepted, problems = screen(ws, rows)
    assert accepted == rows[:2]
    key = fingerprint(signer.public_key)
    assert reasons(problems) == {
        ops[2].op_id: f"its signature does not verify under its node's key {key}",
        ops[3].op_id: "it continues an op that was quarantined",
    }


def test_a_valid_newest_signature_vouches_for_the_chain_before_it(ws, clock):
    """A signature covers ``prev_hash``: the newest one that holds commits to every op before."""
    ops = chain(clock, Ed25519Signer.generate(), 3)
    rows = [row(ops[0], 1), row(ops[1], 2), row(forge(ops[2]), 3), row(ops[3], 4)]
    accepted, problems = screen(ws, rows)
    assert accepted == rows and problems == []


def test_an_unsigned_op_of_a_signing_node_is_quarantined(ws, clock):
    signer = Ed25519Signer.generate()
    ops = chain(clock, signer, 1)
    rows = [row(ops[0], 1), row(ops[1], 2, signature="")]
    accepted, problems = screen(ws, rows)
    assert accepted == rows[:1]
    assert reasons(problems) == {
        ops[1].op_id: "it is unsigned, but its node signs every op since it introduced the key "
        f"{fingerprint(signer.public_key)}"
    }


def test_a_revoked_nodes_ops_after_the_revocation_are_quarantined(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 2)
    others = chain(clock, Ed25519Signer.generate(), 1, node=OTHER)
    rows = [row(ops[0], 1), row(others[0], 2), row(ops[1], 3), row(others[1], 4), row(ops[2], 5)]
    revocation = checks.Revocation(NODE, after_seq=1, revoked_at="2026-11-28T09:00:00Z")
    accepted, problems = screen(ws, rows, revoked={NODE: revocation})
    assert accepted == [rows[0], rows[1], rows[3]]
    reason = (
        "its node was revoked by an admin (2026-11-28T09:00:00Z); its ops after that are untrusted"
    )
    assert reasons(problems) == {ops[1].op_id: reason, ops[2].op_id: reason}


def test_quarantine_is_recorded_once_and_an_op_already_aside_stays_aside(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 2)
    tampered = row(ops[1], 2, value='{"event":"forged"}')
    _, first = screen(ws, [row(ops[0], 1), tampered])
    assert reasons(first) == {
        ops[1].op_id: "its content does not match its hash (changed after it was written)"
    }
    # The next pull: the same op again (already in sync_problem) and the one after it.
    accepted, problems = screen(ws, [tampered, row(ops[2], 3)])
    assert accepted == []
    assert reasons(problems) == {ops[2].op_id: "it continues an op that was quarantined"}
    with ws.read() as conn:
        kept = (
            dbapi(conn)
            .execute("SELECT op_id, kind, reason FROM sync_problem ORDER BY server_seq")
            .fetchall()
        )
    assert [(op_id, kind) for op_id, kind, _ in kept] == [
        (ops[1].op_id, checks.QUARANTINED),
        (ops[2].op_id, checks.QUARANTINED),
    ]


def test_an_op_already_here_passes_through_unless_its_stamp_is_broken(ws, clock):
    ops = chain(clock, Ed25519Signer.generate(), 1)
    rows = [row(op, n) for n, op in enumerate(ops, 1)]
    with ws.write() as conn:  # the key op is here already (an earlier pull applied it)
        local.apply_pulled(conn, rows[:1], node_id=ws.node_id, wall_ms=0, signer=ws.signer)
    broken = (1, "not a stamp", *rows[0][2:])
    accepted, problems = screen(ws, [broken, rows[1]])
    assert accepted == [rows[1]] and problems == []


def test_a_quarantined_sentence_names_the_op_its_node_and_author():
    problem = checks.Quarantined("op-1", "node-1", "mallory", 7, "its value is not valid JSON")
    assert problem.sentence() == (
        "op op-1 from node node-1 (mallory) quarantined: its value is not valid JSON"
    )
    assert replace(problem, reason="x").sentence().endswith("quarantined: x")
