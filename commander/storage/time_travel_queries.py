"""Reads for replaying an incident as it stood at a moment (``services.time_travel``)."""

from __future__ import annotations

from sqlalchemy import Connection, or_, select

from commander.core.ops import WORKSPACE_SCOPE, Op
from commander.storage import queries
from commander.storage.tables import op_table


def incident_and_workspace_ops(conn: Connection, incident_id: str) -> list[Op]:
    """The incident's ops and the workspace-wide ones, in log order."""
    rows = conn.execute(
        select(op_table)
        .where(
            or_(op_table.c.incident_id == incident_id, op_table.c.incident_id == WORKSPACE_SCOPE)
        )
        .order_by(op_table.c.seq)
    ).fetchall()
    return [queries.op_from_row(row) for row in rows]


def incident_op_stamps(conn: Connection, incident_id: str) -> list[str]:
    """The recorded HLC stamp of every op of the incident, in no set order."""
    return [
        str(row[0])
        for row in conn.execute(select(op_table.c.hlc).where(op_table.c.incident_id == incident_id))
    ]
