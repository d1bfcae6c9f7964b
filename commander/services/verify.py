"""``commander verify``: is the op log still the evidence it claims to be?

Four independent checks, because each catches what the others cannot:

* every node's hash chain (an op edited or removed in the middle breaks the link after it);
* every op's signature under its node's pinned key (a chain rebuilt by someone who can
  compute hashes but does not hold the node's key);
* the local chain head kept in ``meta`` (ops cut from the *end* leave no broken link);
* a replay of the whole log into a scratch database, compared with the materialized
  ``incident`` and ``entry`` tables (a row edited behind the log's back changes no hash);
* every attached file against the SHA-256 its op records (the chain covers the digest, the
  blob store holds the bytes: a changed byte in a screenshot is caught here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, create_engine

from commander.core.attachments import digest, ref_of
from commander.core.ops import GENESIS_HASH, ChainBreak, Op, verify_chains
from commander.core.records_json import JsonRecord, json_field
from commander.core.signing import SignatureProblem, verify_signatures
from commander.services.transfer import chain_gaps
from commander.services.workspace import Workspace
from commander.storage import blobs, oplog
from commander.storage.tables import metadata
from commander.storage.verify_queries import (
    MaterializedRows,
    materialized_by_table,
    ops_by_arrival_tolerant,
)

MAX_MISMATCHES = 20
_CHAIN_HEAD_KEY = "chain_head"


@dataclass(frozen=True)
class Mismatch(JsonRecord):
    """A materialized row that does not match what the op log says it should be."""

    table: str
    row_id: str = field(metadata=json_field(name="id"))
    detail: str


@dataclass
class VerifyReport:
    """The outcome of a verification; ``ok`` only when every check passed."""

    ops_checked: int = 0
    nodes: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    head_problem: str | None = None
    mismatches: list[Mismatch] = field(default_factory=list)
    mismatch_count: int = 0
    signature_problems: list[SignatureProblem] = field(default_factory=list)
    signed: int = 0
    unsigned: int = 0
    attachments_checked: int = 0
    attachment_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.breaks
            and self.head_problem is None
            and not self.mismatch_count
            and not self.signature_problems
            and not self.attachment_problems
        )

    # Hand-written: adds the computed ok and groups signatures and attachments.
    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "ops_checked": self.ops_checked,
            "nodes": self.nodes,
            "breaks": [
                {"op_id": b.op_id, "node_id": b.node_id, "position": b.position, "reason": b.reason}
                for b in self.breaks
            ],
            "chain_head": self.head_problem,
            "mismatches": [m.to_json() for m in self.mismatches],
            "mismatch_count": self.mismatch_count,
            "signatures": signatures_json(self.signature_problems, self.signed, self.unsigned),
            "attachments": {
                "checked": self.attachments_checked,
                "problems": self.attachment_problems,
            },
        }


def signatures_json(problems: list[SignatureProblem], signed: int, unsigned: int) -> dict[str, Any]:
    return {
        "signed": signed,
        "unsigned_before_signing": unsigned,
        "problems": [
            {"op_id": p.op_id, "node_id": p.node_id, "position": p.position, "reason": p.reason}
            for p in problems
        ],
    }


def verify_workspace(workspace: Workspace, *, replay: bool = True) -> VerifyReport:
    """Check chains, the chain head and (unless ``replay`` is False) the materialized tables."""
    report = VerifyReport()
    with workspace.read() as conn:
        ops = _chain_order(ops_by_arrival_tolerant(conn))
        head = oplog.read_meta(conn, _CHAIN_HEAD_KEY) or GENESIS_HASH
        stored = materialized_by_table(conn) if replay else None
        gaps = chain_gaps(conn)  # incident imports: links across ops the file left out
        report.attachments_checked, report.attachment_problems = _check_files(conn, ops)
    report.ops_checked = len(ops)
    report.nodes = len({op.node_id for op in ops})
    report.breaks = list(verify_chains(ops, gaps))
    signatures = verify_signatures(ops)
    report.signature_problems = signatures.problems
    report.signed, report.unsigned = signatures.signed, signatures.unsigned
    own = [op for op in ops if op.node_id == workspace.node_id]
    last_hash = own[-1].hash if own else GENESIS_HASH
    if last_hash != head:
        report.head_problem = (
            f"the log of this node ({workspace.node_id}) ends at "
            f"{_short(last_hash)} but its recorded chain head is {_short(head)}: "
            "ops were removed from the end of the log"
        )
    if stored is not None:
        found = _compare(stored, _replayed(ops))
        report.mismatch_count = len(found)
        report.mismatches = found[:MAX_MISMATCHES]
    return report


def _check_files(conn: Connection, ops: list[Op]) -> tuple[int, list[str]]:
    """Each file an op references, read once and hashed: (files checked, problems)."""
    wanted: dict[str, Op] = {}
    for op in ops:
        ref = ref_of(op.value)
        if ref is not None:
            wanted.setdefault(ref.sha256, op)
    problems = []
    for sha, op in wanted.items():
        ref = ref_of(op.value)
        assert ref is not None
        data = blobs.get(conn, sha)
        if data is None:
            problems.append(f"the file {ref.name} of entry {op.entity_id} is missing")
        elif digest(data) != sha or len(data) != ref.size:
            problems.append(
                f"the file {ref.name} of entry {op.entity_id} was changed: its bytes no longer "
                "match the SHA-256 its op records"
            )
    return len(wanted), problems


def _chain_order(ops: list[Op]) -> list[Op]:
    """Each node's ops in the order of its chain links, not the order they arrived in.

    Sync may deliver a node's ops out of order (any order converges); the chain check needs
    them linked. An op no link leads to (a gap, a forgery) keeps its place after the chain,
    so ``verify_chains`` still names it.
    """
    by_prev: dict[tuple[str, str], list[Op]] = {}
    for op in ops:
        by_prev.setdefault((op.node_id, op.prev_hash), []).append(op)
    ordered: list[Op] = []
    placed: set[str] = set()
    for op in ops:
        if op.op_id in placed or op.prev_hash != GENESIS_HASH:
            continue
        link: Op | None = op
        while link is not None and link.op_id not in placed:
            ordered.append(link)
            placed.add(link.op_id)
            following = by_prev.get((link.node_id, link.hash), [])
            link = following[0] if following else None
    ordered.extend(op for op in ops if op.op_id not in placed)
    return ordered


_Rows = MaterializedRows


def _replayed(ops: list[Op]) -> _Rows:
    """Apply every op, in log order, to an empty in-memory workspace and read it back."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
            for op in ops:
                oplog.store(conn, op)
                try:
                    oplog.apply(conn, op)
                except Exception:  # a damaged op: what it failed to make shows up below
                    continue
            return materialized_by_table(conn)
    finally:
        engine.dispose()


def _compare(stored: _Rows, expected: _Rows) -> list[Mismatch]:
    found: list[Mismatch] = []
    for table, want_rows in expected.items():
        have_rows = stored.get(table, {})
        for row_id, want in want_rows.items():
            have = have_rows.get(row_id)
            if have is None:
                found.append(Mismatch(table, row_id, "missing from the table"))
                continue
            for column, value in want.items():
                if have.get(column) != value:
                    found.append(
                        Mismatch(
                            table,
                            row_id,
                            f"{column} is {_clip(have.get(column))} in the table but "
                            f"{_clip(value)} from the op log",
                        )
                    )
        for row_id in have_rows.keys() - want_rows.keys():
            found.append(Mismatch(table, row_id, "in the table but no op created it"))
    return found


def _clip(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(digest: str) -> str:
    return digest[:12]
