"""Writing ops and applying them to the materialized tables, in one transaction.

``append`` is the only way local changes enter the workspace; ``apply`` is shared with sync,
so a change looks the same whether it was typed here or pulled from the server.
Register fields are last-writer-wins by ``(hlc, node_id)``; timeline entries are append-only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from commander.core.clock import Clock, parse_iso, to_ms
from commander.core.hlc import ZERO, HlcStamp, tick
from commander.core.ids import new_id
from commander.core.ops import (
    GENESIS_HASH,
    INCIDENT_REGISTERS,
    SCHEMA_VERSION,
    Entity,
    Field,
    Op,
)
from commander.storage.tables import (
    entry_table,
    incident_table,
    meta_table,
    op_table,
    register_table,
)

_META_HLC = "hlc"
_META_CHAIN_HEAD = "chain_head"
_META_NODE_ID = "node_id"


@dataclass(frozen=True)
class OpDraft:
    """An op before it has an id, a stamp and a place in the chain."""

    incident_id: str
    entity: str
    entity_id: str
    field: str
    value: Any


def read_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()


def write_meta(conn: Connection, key: str, value: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def ensure_node_id(conn: Connection) -> str:
    """The workspace's node id, made once when the workspace is created."""
    node_id = read_meta(conn, _META_NODE_ID)
    if node_id is None:
        node_id = new_id()
        write_meta(conn, _META_NODE_ID, node_id)
    return node_id


def append(
    conn: Connection,
    drafts: Sequence[OpDraft],
    *,
    node_id: str,
    author: str,
    clock: Clock,
) -> list[Op]:
    """Stamp, chain, store and apply ``drafts``; the caller's transaction makes it atomic.

    The HLC and the chain head are read inside the transaction (not cached), so two
    processes writing to one workspace still produce one unbroken chain.
    """
    last_text = read_meta(conn, _META_HLC)
    last = HlcStamp.decode(last_text) if last_text else ZERO
    head = read_meta(conn, _META_CHAIN_HEAD) or GENESIS_HASH
    wall_ms = to_ms(clock.now())
    ops: list[Op] = []
    for draft in drafts:
        last = tick(last, wall_ms)
        op = Op(
            op_id=new_id(),
            node_id=node_id,
            hlc=last.encode(),
            incident_id=draft.incident_id,
            entity=draft.entity,
            entity_id=draft.entity_id,
            field=draft.field,
            value=draft.value,
            author=author,
            schema_version=SCHEMA_VERSION,
        ).sealed(head)
        head = op.hash
        store(conn, op)
        apply(conn, op)
        ops.append(op)
    write_meta(conn, _META_HLC, last.encode())
    write_meta(conn, _META_CHAIN_HEAD, head)
    return ops


def store(conn: Connection, op: Op) -> None:
    conn.execute(
        insert(op_table).values(
            op_id=op.op_id,
            node_id=op.node_id,
            hlc=op.hlc,
            incident_id=op.incident_id,
            entity=op.entity,
            entity_id=op.entity_id,
            field=op.field,
            value=op.value_json(),
            author=op.author,
            schema_version=op.schema_version,
            prev_hash=op.prev_hash,
            hash=op.hash,
        )
    )


def apply(conn: Connection, op: Op) -> None:
    """Make the materialized tables reflect ``op``; ops from a newer schema wait (parked)."""
    if op.schema_version > SCHEMA_VERSION:
        return
    if op.entity == Entity.INCIDENT:
        _apply_incident(conn, op)
    elif op.entity == Entity.ENTRY:
        _apply_entry(conn, op)


def _wins(conn: Connection, op: Op, field: str) -> bool:
    """Record ``op`` as the holder of ``field`` if it is newer; True when it won."""
    current = conn.execute(
        select(register_table.c.hlc, register_table.c.node_id).where(
            register_table.c.entity == op.entity,
            register_table.c.entity_id == op.entity_id,
            register_table.c.field == field,
        )
    ).first()
    if current is not None and (current.hlc, current.node_id) >= (op.hlc, op.node_id):
        return False
    conn.exec_driver_sql(
        "INSERT INTO register(entity, entity_id, field, hlc, node_id, op_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id, field) DO UPDATE SET "
        "hlc = excluded.hlc, node_id = excluded.node_id, op_id = excluded.op_id",
        (op.entity, op.entity_id, field, op.hlc, op.node_id, op.op_id),
    )
    return True


def _incident_column_value(field: str, value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if field == Field.SERVICES else value


def _apply_incident(conn: Connection, op: Op) -> None:
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    if op.field == Field.CREATE:
        value = op.value
        conn.execute(
            insert(incident_table)
            .prefix_with("OR IGNORE")
            .values(
                id=op.incident_id,
                ref=value["ref"],
                title=value["title"],
                severity=value["severity"],
                status=value["status"],
                phase=value["phase"],
                services=json.dumps(value.get("services", []), ensure_ascii=False),
                impact=value.get("impact", ""),
                declared_at=to_ms(parse_iso(value["declared_at"])),
                declared_by=op.author,
                updated_at=stamp_ms,
            )
        )
        for field in INCIDENT_REGISTERS:
            if field in value and not _wins(conn, op, field):
                _reapply_register_holder(conn, op, field)
        return
    if op.field in INCIDENT_REGISTERS and _wins(conn, op, op.field):
        conn.execute(
            update(incident_table)
            .where(incident_table.c.id == op.incident_id)
            .values(
                {
                    op.field: _incident_column_value(op.field, op.value),
                    "updated_at": func.max(incident_table.c.updated_at, stamp_ms),
                }
            )
        )


def _reapply_register_holder(conn: Connection, create_op: Op, field: str) -> None:
    """A later change to ``field`` arrived before the create op: keep the later value."""
    holder = conn.execute(
        select(op_table.c.value, op_table.c.hlc)
        .join(register_table, register_table.c.op_id == op_table.c.op_id)
        .where(
            register_table.c.entity == create_op.entity,
            register_table.c.entity_id == create_op.entity_id,
            register_table.c.field == field,
        )
    ).first()
    if holder is None:
        return
    value = json.loads(holder.value)
    if isinstance(value, dict) and field in value:  # the holder is itself a create op
        value = value[field]
    conn.execute(
        update(incident_table)
        .where(incident_table.c.id == create_op.incident_id)
        .values(
            {
                field: _incident_column_value(field, value),
                "updated_at": func.max(
                    incident_table.c.updated_at, HlcStamp.decode(holder.hlc).wall_ms
                ),
            }
        )
    )


def _apply_entry(conn: Connection, op: Op) -> None:
    if op.field == Field.CREATE:
        value = op.value
        conn.execute(
            insert(entry_table)
            .prefix_with("OR IGNORE")
            .values(
                id=op.entity_id,
                incident_id=op.incident_id,
                occurred_at=to_ms(parse_iso(value["occurred_at"])),
                hlc=op.hlc,
                node_id=op.node_id,
                kind=value.get("kind", "note"),
                event=value["event"],
                action=value.get("action", ""),
                owner=value.get("owner", ""),
                author=op.author,
                struck=0,
                strike_reason="",
                amended_event=None,
                amended_action=None,
            )
        )
        _reapply_entry_registers(conn, op)
        return
    if op.field == Field.STRIKE and _wins(conn, op, Field.STRIKE):
        conn.execute(
            update(entry_table)
            .where(entry_table.c.id == op.entity_id)
            .values(struck=1, strike_reason=op.value.get("reason", ""))
        )
    elif op.field == Field.AMEND and _wins(conn, op, Field.AMEND):
        conn.execute(
            update(entry_table)
            .where(entry_table.c.id == op.entity_id)
            .values(amended_event=op.value.get("event"), amended_action=op.value.get("action"))
        )


def _reapply_entry_registers(conn: Connection, create_op: Op) -> None:
    """A strike or amendment that arrived before its entry (sync order) applies now."""
    rows = conn.execute(
        select(op_table.c.field, op_table.c.value)
        .join(register_table, register_table.c.op_id == op_table.c.op_id)
        .where(
            register_table.c.entity == Entity.ENTRY,
            register_table.c.entity_id == create_op.entity_id,
        )
    ).all()
    for field, raw in rows:
        value = json.loads(raw)
        if field == Field.STRIKE:
            values = {"struck": 1, "strike_reason": value.get("reason", "")}
        else:
            values = {"amended_event": value.get("event"), "amended_action": value.get("action")}
        conn.execute(
            update(entry_table).where(entry_table.c.id == create_op.entity_id).values(values)
        )
