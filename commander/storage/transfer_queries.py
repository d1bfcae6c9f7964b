"""Reads an incident's export and comparison need: its ops with the workspace ops they depend
on, which ops are here already, each node's chain head, and the materialized record as rows.

``services.transfer`` and ``services.bundles`` write the files; only the statements are here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, Table, select

from commander.core.ops import OP_FIELDS as _OP_FIELDS
from commander.core.ops import WORKSPACE_SCOPE, Entity, Field
from commander.core.roles import PROCEDURE_ROLES
from commander.storage.conflicts import op_stamp_table as stamp
from commander.storage.tables import comms_draft_table as draft
from commander.storage.tables import metadata
from commander.storage.tables import op_table as op
from commander.storage.tables import role_assignment_table as assignment

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

# ``(seq, *OP_FIELDS, adopted stamp)``: the seq sorts, the rest is what is exported.
_OP_ROWS: Select[Any] = select(
    op.c.seq, *(op.c[name] for name in _OP_FIELDS), stamp.c.hlc
).select_from(op.outerjoin(stamp, stamp.c.op_id == op.c.op_id))


def incident_op_rows(conn: Connection, incident_id: str) -> list[tuple[Any, ...]]:
    """The incident's ops and the workspace ops it depends on, in log order."""
    a = assignment.c
    rows = [tuple(row) for row in conn.execute(_OP_ROWS.where(op.c.incident_id == incident_id))]
    handles = _strings(
        conn.execute(
            select(a.person)
            .where(a.incident_id == incident_id, a.person.is_not(None))
            .union(select(a.previous).where(a.incident_id == incident_id, a.previous.is_not(None)))
        )
    )
    builtin_roles = {role.key for role in PROCEDURE_ROLES}
    roles = (
        _strings(conn.execute(select(a.role).distinct().where(a.incident_id == incident_id)))
        - builtin_roles
    )
    templates = _strings(
        conn.execute(
            select(draft.c.template_key).distinct().where(draft.c.incident_id == incident_id)
        )
    )
    for entity, ids in (
        (Entity.PERSON, handles),
        (Entity.ROLE_DEF, roles),
        (Entity.TEMPLATE, templates),
    ):
        for chunk in _chunks(sorted(ids)):
            query = _OP_ROWS.where(
                op.c.incident_id == WORKSPACE_SCOPE,
                op.c.entity == entity,
                op.c.entity_id.in_(chunk),
            )
            rows += [tuple(row) for row in conn.execute(query)]
    nodes = sorted({str(row[2]) for row in rows})
    for chunk in _chunks(nodes):  # each writer's key op, so the file's signatures can be checked
        query = _OP_ROWS.where(
            op.c.entity == Entity.NODE, op.c.field == Field.KEY, op.c.node_id.in_(chunk)
        )
        rows += [tuple(row) for row in conn.execute(query)]
    rows.sort(key=lambda row: row[0])
    return [row[1:] for row in rows]


def _strings(rows: Iterable[Any]) -> set[str]:
    return {str(row[0]) for row in rows if row[0]}


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def node_head(conn: Connection, node_id: str) -> str | None:
    head: str | None = conn.scalar(
        select(op.c.hash).where(op.c.node_id == node_id).order_by(op.c.seq.desc()).limit(1)
    )
    return head


def present_ids(conn: Connection, op_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(op_ids):
        found.update(conn.scalars(select(op.c.op_id).where(op.c.op_id.in_(chunk))))
    return found


def materialized_rows(conn: Connection, incident_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every materialized row of the incident, table by table, in primary-key order, with the
    workspace rows it depends on (people on its roster, custom roles, templates of its
    drafts)."""
    result: dict[str, list[dict[str, Any]]] = {}
    for name, table in sorted(metadata.tables.items()):
        if name in _NOT_RECORD:
            continue
        if name == "incident":
            where = table.c.id == incident_id
        elif "incident_id" in table.c:
            where = table.c.incident_id == incident_id
        else:
            continue
        result[name] = _rows(conn, table, select(table).where(where))
    for name, key, ids in _workspace_rows(conn, incident_id):
        table = metadata.tables[name]
        result[name] = _rows(conn, table, select(table).where(table.c[key].in_(ids)))
    return result


def _rows(conn: Connection, table: Table, query: Select[Any]) -> list[dict[str, Any]]:
    """``query``'s rows as column -> value, in primary-key order."""
    ordered = query.order_by(*table.primary_key.columns)
    return [dict(row._mapping) for row in conn.execute(ordered)]


def _workspace_rows(conn: Connection, incident_id: str) -> list[tuple[str, str, list[str]]]:
    a = assignment.c
    people = _strings(
        conn.execute(
            select(a.person)
            .where(a.incident_id == incident_id)
            .union(select(a.previous).where(a.incident_id == incident_id))
        )
    )
    roles = _strings(conn.execute(select(a.role).where(a.incident_id == incident_id)))
    templates = _strings(
        conn.execute(select(draft.c.template_key).where(draft.c.incident_id == incident_id))
    )
    return [
        ("person", "handle", sorted(people)),
        ("role_def", "key", sorted(roles)),
        ("comms_template", "key", sorted(templates)),
    ]
