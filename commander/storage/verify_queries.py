"""Reads for verifying a workspace: the op log as stored (even where damaged) and the
materialized tables its replay must reproduce."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from commander.core.ops import Op
from commander.storage.queries import op_from_row
from commander.storage.tables import (
    action_item_table,
    entry_table,
    incident_table,
    op_table,
    person_table,
    review_field_table,
    review_schedule_table,
    role_assignment_table,
    role_def_table,
)


def ops_by_arrival_tolerant(conn: Connection) -> list[Op]:
    """Every op in arrival order, like ``queries.ops_in_chain_order`` but tolerant: a value
    that is no longer JSON is kept as raw text, so its hash fails and the op is named instead
    of crashing the check."""
    result = []
    for row in conn.execute(select(op_table).order_by(op_table.c.seq)):
        try:
            value = json.loads(row.value)
        except (TypeError, ValueError):
            value = row.value
        result.append(op_from_row(row, value))
    return result


MaterializedRows = dict[str, dict[str, dict[str, Any]]]


def materialized_by_table(conn: Connection) -> MaterializedRows:
    """The tables verify replays, each as primary key -> row."""
    return {
        name: {str(row[0]): dict(row._mapping) for row in conn.execute(select(table))}
        for name, table in (
            ("incident", incident_table),
            ("entry", entry_table),
            ("role_assignment", role_assignment_table),
            ("person", person_table),
            ("role_def", role_def_table),
            ("review_field", review_field_table),
            ("review_schedule", review_schedule_table),
            ("action_item", action_item_table),
        )
    }
