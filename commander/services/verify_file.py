"""``commander verify --file EXPORT``: check an incident export without importing it.

An export carries only the incident's part of each writer's chain, so links across ops the
file left out cannot be checked; every op's content is checked against its hash, every link
between ops that were contiguous, and every signature under its writer's key op (which the
export carries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commander.core.errors import ValidationError
from commander.core.ops import OP_FIELDS, ChainBreak, Op
from commander.core.signing import SignatureProblem, verify_signatures
from commander.services.transfer import read_document
from commander.services.verify import signatures_json


@dataclass
class FileReport:
    path: str
    ops_checked: int = 0
    nodes: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    signature_problems: list[SignatureProblem] = field(default_factory=list)
    signed: int = 0
    unsigned: int = 0

    @property
    def ok(self) -> bool:
        return not self.breaks and not self.signature_problems

    # Hand-written: adds the computed ok and groups signatures.
    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "ok": self.ok,
            "ops_checked": self.ops_checked,
            "nodes": self.nodes,
            "breaks": [
                {"op_id": b.op_id, "node_id": b.node_id, "position": b.position, "reason": b.reason}
                for b in self.breaks
            ],
            "signatures": signatures_json(self.signature_problems, self.signed, self.unsigned),
        }


def verify_file(path: Path) -> FileReport:
    """Hashes and signatures of every op in an export file.

    Raises:
        ValidationError: the file is not a Commander incident export.
    """
    document = read_document(path)
    report = FileReport(str(path))
    ops: list[Op] = []
    for body in document.get("ops") or []:
        try:
            ops.append(Op(**{name: body[name] for name in _FIELDS if name in body}))
        except (TypeError, KeyError) as exc:
            raise ValidationError(f"{path} holds an op that is not one ({exc}).") from None
    report.ops_checked = len(ops)
    report.nodes = len({op.node_id for op in ops})
    positions: dict[str, int] = {}
    broken: set[str] = set()
    for op in ops:
        position = positions.get(op.node_id, 0)
        positions[op.node_id] = position + 1
        if op.node_id not in broken and op.compute_hash() != op.hash:
            broken.add(op.node_id)
            reason = "its content does not match its hash (edited after it was written)"
            report.breaks.append(ChainBreak(op.node_id, op.op_id, position, reason))
    signatures = verify_signatures(ops)
    report.signature_problems = signatures.problems
    report.signed, report.unsigned = signatures.signed, signatures.unsigned
    return report


_FIELDS = OP_FIELDS
