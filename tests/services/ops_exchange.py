"""Exchanging ops between two workspaces without a server, the way sync would."""

from __future__ import annotations

from commander.services.workspace import Workspace
from commander.storage import oplog
from commander.storage.queries import ops_in_chain_order


def copy_ops(source: Workspace, target: Workspace) -> None:
    """Every op ``target`` lacks, stored and applied in ``source``'s chain order."""
    with source.read() as conn:
        ops = list(ops_in_chain_order(conn))
    with target.write() as conn:
        have = {row[0] for row in conn.exec_driver_sql("SELECT op_id FROM op").fetchall()}
        for op in ops:
            if op.op_id not in have:
                oplog.store(conn, op)
                oplog.apply(conn, op)
