"""Last-writer-wins registers: which op holds each field, decided by ``(hlc, node_id)``.

Raw DB-API, not Core: every applied op reads and writes a register (``benchmarks/sync.py``:
append p99, pull ops/s).
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.ops import Op
from commander.storage.database import dbapi

_SELECT_REGISTER = (
    "SELECT hlc, node_id FROM register WHERE entity = ? AND entity_id = ? AND field = ?"
)
_UPSERT_REGISTER = (
    "INSERT INTO register(entity, entity_id, field, hlc, node_id, op_id) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id, field) DO UPDATE SET "
    "hlc = excluded.hlc, node_id = excluded.node_id, op_id = excluded.op_id"
)


def wins(conn: Connection, op: Op, field: str) -> bool:
    """Record ``op`` as the holder of ``field`` if it is newer; True when it won."""
    current = dbapi(conn).execute(_SELECT_REGISTER, (op.entity, op.entity_id, field)).fetchone()
    if current is not None and (current[0], current[1]) >= (op.hlc, op.node_id):
        return False
    dbapi(conn).execute(
        _UPSERT_REGISTER, (op.entity, op.entity_id, field, op.hlc, op.node_id, op.op_id)
    )
    return True


def register_holder(conn: Connection, entity: str, entity_id: str, field: str) -> str | None:
    """The op id currently holding a register: the ``base`` a new change records."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT op_id FROM register WHERE entity = ? AND entity_id = ? AND field = ?",
            (entity, entity_id, field),
        )
        .fetchone()
    )
    return row[0] if row else None
