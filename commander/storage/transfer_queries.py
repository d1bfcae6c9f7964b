"""Reads an incident's export and comparison need: its ops with the workspace ops they depend
on, which ops are here already, each node's chain head, and the materialized record as rows.

``services.transfer`` and ``services.bundles`` write the files; only the statements are here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from commander.core.ops import OP_FIELDS as _OP_FIELDS
from commander.core.ops import WORKSPACE_SCOPE, Entity, Field
from commander.core.roles import PROCEDURE_ROLES
from commander.storage.database import dbapi
from commander.storage.tables import metadata

# Tables that are not the incident's record: the log itself, and the laptop-local outbox.
_NOT_RECORD = {
    "op",
    "outbox",
    "meta",
    "register",
    "op_stamp",
    "node_key",
    "sync_problem",
    "node_revocation",
}


def incident_op_rows(conn: Connection, incident_id: str) -> list[tuple[Any, ...]]:
    """The incident's ops and the workspace ops it depends on, in log order."""
    raw = dbapi(conn)
    columns = ", ".join(f"op.{name}" for name in _OP_FIELDS)
    select = f"SELECT op.seq, {columns}, s.hlc FROM op LEFT JOIN op_stamp s ON s.op_id = op.op_id "
    rows = raw.execute(select + "WHERE op.incident_id = ?", (incident_id,)).fetchall()
    handles = _strings(
        raw.execute(
            "SELECT person FROM role_assignment WHERE incident_id = ? AND person IS NOT NULL "
            "UNION SELECT previous FROM role_assignment WHERE incident_id = ? "
            "AND previous IS NOT NULL",
            (incident_id, incident_id),
        )
    )
    builtin_roles = {role.key for role in PROCEDURE_ROLES}
    roles = (
        _strings(
            raw.execute(
                "SELECT DISTINCT role FROM role_assignment WHERE incident_id = ?", (incident_id,)
            )
        )
        - builtin_roles
    )
    templates = _strings(
        raw.execute(
            "SELECT DISTINCT template_key FROM comms_draft WHERE incident_id = ?", (incident_id,)
        )
    )
    for entity, ids in (
        (Entity.PERSON, handles),
        (Entity.ROLE_DEF, roles),
        (Entity.TEMPLATE, templates),
    ):
        for chunk in _chunks(sorted(ids)):
            marks = ",".join("?" * len(chunk))
            rows += raw.execute(
                select
                + f"WHERE op.incident_id = ? AND op.entity = ? AND op.entity_id IN ({marks})",
                (WORKSPACE_SCOPE, entity, *chunk),
            ).fetchall()
    nodes = sorted({str(row[2]) for row in rows})
    for chunk in _chunks(nodes):  # each writer's key op, so the file's signatures can be checked
        marks = ",".join("?" * len(chunk))
        rows += raw.execute(
            select + f"WHERE op.entity = ? AND op.field = ? AND op.node_id IN ({marks})",
            (Entity.NODE, Field.KEY, *chunk),
        ).fetchall()
    rows.sort(key=lambda row: row[0])
    return [row[1:] for row in rows]


def _strings(rows: Iterable[Any]) -> set[str]:
    return {str(row[0]) for row in rows if row[0]}


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def node_head(conn: Connection, node_id: str) -> str | None:
    row = (
        dbapi(conn)
        .execute("SELECT hash FROM op WHERE node_id = ? ORDER BY seq DESC LIMIT 1", (node_id,))
        .fetchone()
    )
    return row[0] if row else None


def present_ids(conn: Connection, op_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(op_ids):
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in dbapi(conn).execute(f"SELECT op_id FROM op WHERE op_id IN ({marks})", chunk)
        )
    return found


def materialized_rows(conn: Connection, incident_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every materialized row of the incident, table by table, in primary-key order, with the
    workspace rows it depends on (people on its roster, custom roles, templates of its
    drafts)."""
    result: dict[str, list[dict[str, Any]]] = {}
    raw = dbapi(conn)
    for name, table in sorted(metadata.tables.items()):
        if name in _NOT_RECORD:
            continue
        columns = [column.name for column in table.columns]
        key = ", ".join(column.name for column in table.primary_key.columns)
        if name == "incident":
            where, params = "id = ?", (incident_id,)
        elif "incident_id" in columns:
            where, params = "incident_id = ?", (incident_id,)
        else:
            continue
        rows = raw.execute(
            f"SELECT {', '.join(columns)} FROM {name} WHERE {where} ORDER BY {key}", params
        ).fetchall()
        result[name] = [dict(zip(columns, row, strict=True)) for row in rows]
    for name, key, ids in _workspace_rows(raw, incident_id):
        marks = ",".join("?" * len(ids))
        table = metadata.tables[name]
        columns = [column.name for column in table.columns]
        rows = raw.execute(
            f"SELECT {', '.join(columns)} FROM {name} WHERE {key} IN ({marks}) ORDER BY {key}",
            ids,
        ).fetchall()
        result[name] = [dict(zip(columns, row, strict=True)) for row in rows]
    return result


def _workspace_rows(raw: Any, incident_id: str) -> list[tuple[str, str, list[str]]]:
    people = _strings(
        raw.execute(
            "SELECT person FROM role_assignment WHERE incident_id = ? UNION "
            "SELECT previous FROM role_assignment WHERE incident_id = ?",
            (incident_id, incident_id),
        )
    )
    roles = _strings(
        raw.execute("SELECT role FROM role_assignment WHERE incident_id = ?", (incident_id,))
    )
    templates = _strings(
        raw.execute("SELECT template_key FROM comms_draft WHERE incident_id = ?", (incident_id,))
    )
    return [
        ("person", "handle", sorted(people)),
        ("role_def", "key", sorted(roles)),
        ("comms_template", "key", sorted(templates)),
    ]
