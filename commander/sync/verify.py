"""``commander verify --server``: the shared log is evidence too.

Checks every node's hash chain in the server's ``op`` table (an op edited in the table breaks
its hash; one removed breaks the next link), every op's signature under its node's key (a
chain rebuilt by someone who can compute hashes but holds no node's key), and each node's
recorded head and count in ``node_head`` (ops cut from the end of a chain leave no broken
link). Holes in the server's ``seq`` are listed as gaps: an admin who deletes a whole node's
history (head and all) leaves nothing else behind; a push rolled back after its rows were
numbered leaves one too, so a gap is reported, not counted as a failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import psycopg

from commander.core.ops import ChainBreak, Op, canonical_json, verify_chains
from commander.core.signing import SignatureProblem, verify_signatures
from commander.sync.schema import check_schema
from commander.sync.server import translate


@dataclass
class ServerReport:
    ops_checked: int = 0
    nodes: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    head_problems: list[str] = field(default_factory=list)
    signature_problems: list[SignatureProblem] = field(default_factory=list)
    signed: int = 0
    unsigned: int = 0
    gaps: list[tuple[int, int]] = field(default_factory=list)  # missing seq ranges
    revoked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks and not self.head_problems and not self.signature_problems

    # Hand-written: adds the computed ok and nested shapes for signatures and gaps.
    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "ops_checked": self.ops_checked,
            "nodes": self.nodes,
            "breaks": [
                {"op_id": b.op_id, "node_id": b.node_id, "position": b.position, "reason": b.reason}
                for b in self.breaks
            ],
            "head_problems": self.head_problems,
            "signatures": {
                "signed": self.signed,
                "unsigned_before_signing": self.unsigned,
                "problems": [
                    {
                        "op_id": p.op_id,
                        "node_id": p.node_id,
                        "position": p.position,
                        "reason": p.reason,
                    }
                    for p in self.signature_problems
                ],
            },
            "gaps": [{"from_seq": a, "to_seq": b} for a, b in self.gaps],
            "revoked_nodes": self.revoked,
        }


def verify_server(pg: psycopg.Connection[Any]) -> ServerReport:
    report = ServerReport()
    try:
        check_schema(pg)
        rows = pg.execute(
            "SELECT op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
            "schema_version, prev_hash, hash, signature, seq FROM commander.op ORDER BY seq"
        ).fetchall()
        heads = pg.execute("SELECT node_id, head_hash, count FROM commander.node_head").fetchall()
        revoked = pg.execute(
            "SELECT node_id FROM commander.node_head WHERE revoked_at IS NOT NULL ORDER BY 1"
        ).fetchall()
        pg.rollback()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    ops = [_op(row) for row in rows]
    report.ops_checked = len(ops)
    report.revoked = [row[0] for row in revoked]
    previous = 0
    for row in rows:
        if row[13] > previous + 1:
            report.gaps.append((previous + 1, row[13] - 1))
        previous = row[13]
    spoiled = _value_breaks(ops, rows)
    report.breaks = spoiled + list(
        verify_chains(op for op in ops if op.node_id not in {b.node_id for b in spoiled})
    )
    signatures = verify_signatures(
        op for op in ops if op.node_id not in {b.node_id for b in report.breaks}
    )
    report.signature_problems = signatures.problems
    report.signed, report.unsigned = signatures.signed, signatures.unsigned
    last: dict[str, tuple[str, int]] = {}
    for op in ops:
        count = last.get(op.node_id, ("", 0))[1]
        last[op.node_id] = (op.hash, count + 1)
    report.nodes = len(last)
    for node_id, head_hash, count in heads:
        have_hash, have_count = last.get(node_id, ("", 0))
        if (have_hash, have_count) != (head_hash, count):
            report.head_problems.append(
                f"node {node_id}: the server recorded {count} ops ending at {head_hash[:12]} "
                f"but holds {have_count} ending at {have_hash[:12] or '—'}: ops were removed"
            )
    return report


def _value_breaks(ops: list[Op], rows: list[Any]) -> list[ChainBreak]:
    """The first op of each node whose stored value is not the JSON text its hash covers.

    Named for what it is (not JSON, not canonical), where the hash check alone would only
    say "does not match its hash".
    """
    found: dict[str, ChainBreak] = {}
    positions: dict[str, int] = {}
    for op, row in zip(ops, rows, strict=True):
        position = positions.get(op.node_id, 0)
        positions[op.node_id] = position + 1
        if op.node_id in found:
            continue
        try:
            value = json.loads(row[7])
        except (TypeError, ValueError):
            found[op.node_id] = ChainBreak(
                op.node_id, op.op_id, position, "its value is not valid JSON"
            )
            continue
        try:
            canonical = canonical_json(value) == row[7]
        except (TypeError, ValueError):
            canonical = False
        if not canonical:
            found[op.node_id] = ChainBreak(
                op.node_id,
                op.op_id,
                position,
                "its value is not in the canonical form its hash covers",
            )
    return list(found.values())


def _op(row: tuple[Any, ...]) -> Op:
    try:
        value = json.loads(row[7])
    except (TypeError, ValueError):
        value = row[7]  # kept raw so its hash fails and the op is named
    return Op(
        op_id=row[0],
        node_id=row[1],
        hlc=row[2],
        incident_id=row[3],
        entity=row[4],
        entity_id=row[5],
        field=row[6],
        value=value,
        author=row[8],
        schema_version=row[9],
        prev_hash=row[10],
        hash=row[11],
        signature=row[12] or "",
    )
