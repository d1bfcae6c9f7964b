"""``commander verify --server``: the shared log is evidence too.

Checks every node's hash chain in the server's ``op`` table (an op edited in the table breaks
its hash; one removed breaks the next link) and each node's recorded head and count in
``node_head`` (ops cut from the end of a chain leave no broken link).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import psycopg

from commander.core.ops import ChainBreak, Op, verify_chains
from commander.sync.schema import check_schema
from commander.sync.server import translate


@dataclass
class ServerReport:
    ops_checked: int = 0
    nodes: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)
    head_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks and not self.head_problems

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
        }


def verify_server(pg: psycopg.Connection[Any]) -> ServerReport:
    report = ServerReport()
    try:
        check_schema(pg)
        rows = pg.execute(
            "SELECT op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
            "schema_version, prev_hash, hash FROM commander.op ORDER BY seq"
        ).fetchall()
        heads = pg.execute("SELECT node_id, head_hash, count FROM commander.node_head").fetchall()
        pg.rollback()
    except psycopg.Error as exc:
        raise translate(exc) from exc
    ops = [_op(row) for row in rows]
    report.ops_checked = len(ops)
    report.breaks = list(verify_chains(ops))
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
    )
