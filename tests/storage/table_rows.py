"""Rows written straight into the materialized tables, the way the ops would fill them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, insert


def put(conn: Connection, table: Table, *rows: dict[str, Any]) -> None:
    for row in rows:  # one by one: rows may leave out different defaulted columns
        conn.execute(insert(table).values(**row))


def entry_row(
    entry_id: str, incident_id: str, at_ms: int, event: str, **more: Any
) -> dict[str, Any]:
    row = {
        "id": entry_id, "incident_id": incident_id, "occurred_at": at_ms, "hlc": f"h{at_ms:06d}",
        "node_id": "n1", "kind": "note", "event": event, "action": "", "owner": "",
        "author": "alice", "struck": 0, "strike_reason": "", "amended_event": None,
        "amended_action": None,
    }  # fmt: skip
    return {**row, **more}


def incident_row(incident_id: str, ref: str, status: str) -> dict[str, Any]:
    return {
        "id": incident_id, "ref": ref, "title": ref, "severity": "P2", "status": status,
        "phase": "triage", "services": "[]", "impact": "", "declared_at": 1,
        "declared_by": "alice", "updated_at": 1,
    }  # fmt: skip
