"""The local side of sync: what waits to be pushed, and applying what was pulled.

Pulled ops go through ``oplog.store`` + ``oplog.apply`` (the same rules as local writes), the
HLC moves past them and the pull cursor moves, all in one local transaction: a crash leaves
either all of a batch or none of it. Ops already present (our own coming back, a batch seen
twice) are skipped, except that a clamped stamp decided by the server is adopted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from commander.core.hlc import HlcStamp, receive
from commander.core.ops import INCIDENT_REGISTERS, SCHEMA_VERSION, Entity, Field, Op, register_value
from commander.storage import conflicts, oplog
from commander.storage.database import dbapi
from commander.sync import checks

META_SERVER_ID = "sync.server_id"
META_PUSH_SEQ = "sync.push_seq"
META_PULL_SEQ = "sync.pull_seq"
META_URL = "sync.url"
META_APPLIED_SCHEMA = "sync.applied_schema"
_META_HLC = "hlc"  # oplog's key for the node's last HLC stamp

# Columns in the order the server's op table and push() take them.
OP_COLUMNS = (
    "op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
    "schema_version, prev_hash, hash, signature"
)
_QUALIFIED_COLUMNS = ", ".join("op." + column for column in OP_COLUMNS.split(", "))


@dataclass
class PullApplied:
    """What one pulled batch did to the workspace."""

    applied: int = 0
    duplicates: int = 0
    parked: int = 0
    restamped: int = 0
    incident_ids: set[str] = field(default_factory=set)
    entry_ids: set[str] = field(default_factory=set)
    conflict_ids: dict[str, str] = field(default_factory=dict)  # entry id -> incident id
    clamped_nodes: dict[str, str] = field(default_factory=dict)  # node id -> author
    quarantined: list[checks.Quarantined] = field(default_factory=list)


def read_int(conn: Connection, key: str) -> int:
    value = oplog.read_meta(conn, key)
    return int(value) if value else 0


def bind_server(conn: Connection, server_id: str) -> bool:
    """Remember which server the cursors refer to; a different server starts them over."""
    known = oplog.read_meta(conn, META_SERVER_ID)
    if known == server_id:
        return False
    oplog.write_meta(conn, META_SERVER_ID, server_id)
    oplog.write_meta(conn, META_PUSH_SEQ, "0")
    oplog.write_meta(conn, META_PULL_SEQ, "0")
    return True


def pending_rows(conn: Connection, node_id: str, limit: int) -> list[tuple[Any, ...]]:
    """This node's ops not yet acknowledged by the server, oldest first: (seq, *columns)."""
    cursor = read_int(conn, META_PUSH_SEQ)
    return (
        dbapi(conn)
        .execute(
            f"SELECT seq, {OP_COLUMNS} FROM op WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (node_id, cursor, limit),
        )
        .fetchall()
    )


def pending_batch(conn: Connection, node_id: str, limit: int) -> tuple[int, int, str]:
    """The next batch to push as (count, last local seq, JSON array of op objects).

    SQLite builds the JSON (in C, a third of the cost of ``json.dumps`` on fetched rows);
    ``ord`` is the local seq, which keeps each node's chain order.
    """
    cursor = read_int(conn, META_PUSH_SEQ)
    pairs = ", ".join(f"'{column}', {column}" for column in OP_COLUMNS.split(", "))
    row = (
        dbapi(conn)
        .execute(
            f"SELECT count(*), max(seq), json_group_array(json_object({pairs}, 'ord', seq)) "
            "FROM (SELECT * FROM op WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?)",
            (node_id, cursor, limit),
        )
        .fetchone()
    )
    return (int(row[0]), int(row[1] or 0), str(row[2])) if row else (0, 0, "[]")


def pending_count(conn: Connection, node_id: str) -> tuple[int, int | None]:
    """How many of this node's ops wait, and the wall time (ms) of the oldest."""
    cursor = read_int(conn, META_PUSH_SEQ)
    row = (
        dbapi(conn)
        .execute(
            "SELECT count(*), min(hlc) FROM op WHERE node_id = ? AND seq > ?", (node_id, cursor)
        )
        .fetchone()
    )
    count, oldest = row if row else (0, None)
    return int(count), (HlcStamp.decode(oldest).wall_ms if oldest else None)


def read_count(conn: Connection, table: str) -> int:
    row = dbapi(conn).execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def seq_of_hash(conn: Connection, node_id: str, op_hash: str) -> int | None:
    """The local seq of this node's op with ``op_hash``; None when it has no such op."""
    row = (
        dbapi(conn)
        .execute("SELECT seq FROM op WHERE node_id = ? AND hash = ?", (node_id, op_hash))
        .fetchone()
    )
    return int(row[0]) if row else None


def count_own_between(conn: Connection, node_id: str, after: int, upto: int) -> int:
    row = (
        dbapi(conn)
        .execute(
            "SELECT count(*) FROM op WHERE node_id = ? AND seq > ? AND seq <= ?",
            (node_id, after, upto),
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


def local_head(conn: Connection, node_id: str) -> int:
    row = dbapi(conn).execute("SELECT max(seq) FROM op WHERE node_id = ?", (node_id,)).fetchone()
    return int(row[0] or 0) if row else 0


def _op(row: Sequence[Any]) -> Op:
    (op_id, node_id, hlc, incident_id, entity, entity_id, fld, value, author, version, prev, h) = (
        row[:12]
    )
    return Op(
        op_id=op_id,
        node_id=node_id,
        hlc=hlc,
        incident_id=incident_id,
        entity=entity,
        entity_id=entity_id,
        field=fld,
        value=json.loads(value),
        author=author,
        schema_version=version,
        prev_hash=prev,
        hash=h,
        signature=(row[12] if len(row) > 12 else "") or "",
    )


def apply_pulled(
    conn: Connection,
    rows: Sequence[Sequence[Any]],
    *,
    node_id: str,
    wall_ms: int,
    guarded: bool = True,
) -> PullApplied:
    """Apply server rows ``(seq, effective_hlc, *OP_COLUMNS)`` and move the pull cursor.

    The caller's write transaction makes the batch atomic.
    """
    result = PullApplied()
    if not rows:
        return result
    raw = dbapi(conn)
    present = _present(conn, [row[2] for row in rows])
    newest: HlcStamp | None = None
    for row in rows:
        stamp = row[1]
        op = _op(row[2:])
        if op.op_id in present:
            result.duplicates += 1
            if present[op.op_id] != stamp:
                restamp(conn, op, stamp)
                result.restamped += 1
                _touched(result, op)
            present[op.op_id] = stamp
            continue
        failed = checks.apply_guarded(conn, op, stamp, guarded=guarded)
        if failed is not None:  # verified, but its value breaks the apply code: kept aside
            problem = checks.Quarantined(op.op_id, op.node_id, op.author, int(row[0]), failed)
            checks.note(conn, problem, checks.QUARANTINED, row, wall_ms)
            result.quarantined.append(problem)
            continue
        present[op.op_id] = stamp
        if op.schema_version > SCHEMA_VERSION:
            result.parked += 1
        else:
            result.applied += 1
        if stamp != op.hlc:
            result.clamped_nodes[op.node_id] = op.author
        _touched(result, op)
        if conflicts.is_register_change(op):
            result.conflict_ids.update(dict.fromkeys(_conflict_ids(conn, op), op.incident_id))
        if op.node_id != node_id:
            remote = HlcStamp.decode(stamp)
            newest = remote if newest is None or remote > newest else newest
    if newest is not None:
        last_text = oplog.read_meta(conn, _META_HLC)
        last = HlcStamp.decode(last_text) if last_text else HlcStamp(0, 0)
        oplog.write_meta(conn, _META_HLC, receive(last, newest, wall_ms).encode())
    oplog.write_meta(conn, META_PULL_SEQ, str(rows[-1][0]))
    del raw
    return result


def _touched(result: PullApplied, op: Op) -> None:
    result.incident_ids.add(op.incident_id)
    if op.entity == Entity.ENTRY:
        result.entry_ids.add(op.entity_id)


def _present(conn: Connection, op_ids: list[str]) -> dict[str, str]:
    """op id -> its ordering stamp, for those of ``op_ids`` already in the workspace."""
    found: dict[str, str] = {}
    raw = dbapi(conn)
    for start in range(0, len(op_ids), 500):
        chunk = op_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for op_id, stamp in raw.execute(
            f"SELECT op.op_id, COALESCE(s.hlc, op.hlc) FROM op "
            f"LEFT JOIN op_stamp s ON s.op_id = op.op_id WHERE op.op_id IN ({marks})",
            chunk,
        ):
            found[op_id] = stamp
    return found


def _conflict_ids(conn: Connection, op: Op) -> Iterable[str]:
    rows = dbapi(conn).execute(
        "SELECT op_id FROM op WHERE entity_id = ? AND field = ? AND node_id <> ? "
        "AND json_extract(value, '$.base') IS ?",
        (op.entity_id, op.field, op.node_id, op.value.get("base")),
    )
    return [conflicts.conflict_id(op.op_id, other) for (other,) in rows]


# -- clamped stamps ------------------------------------------------------------------------


def restamp(conn: Connection, op: Op, stamp: str) -> None:
    """Adopt the server's ordering stamp for an op applied here with its own (far-ahead) one.

    Last-writer-wins is settled again for what the op touched, so this replica ends where
    every replica that only ever saw the server's stamp is.
    """
    conflicts.record_stamp(conn, op.op_id, stamp)
    if op.schema_version > SCHEMA_VERSION:
        return
    raw = dbapi(conn)
    if op.entity == Entity.ENTRY:
        if op.field == Field.CREATE:
            raw.execute("UPDATE entry SET hlc = ? WHERE id = ?", (stamp, op.entity_id))
        elif op.field in (Field.STRIKE, Field.AMEND):
            holder = _settle(conn, op.entity, op.entity_id, op.field, (op.field,))
            if holder is not None:
                value = json.loads(holder[3])
                if op.field == Field.STRIKE:
                    raw.execute(
                        "UPDATE entry SET struck = 1, strike_reason = ? WHERE id = ?",
                        (value.get("reason", ""), op.entity_id),
                    )
                else:
                    raw.execute(
                        "UPDATE entry SET amended_event = ?, amended_action = ? WHERE id = ?",
                        (value.get("event"), value.get("action"), op.entity_id),
                    )
        return
    if op.entity != Entity.INCIDENT:
        return
    fields = INCIDENT_REGISTERS if op.field == Field.CREATE else (op.field,)
    for fld in fields:
        if fld not in INCIDENT_REGISTERS:
            continue
        holder = _settle(conn, op.entity, op.entity_id, fld, (fld, Field.CREATE))
        if holder is not None:
            value = register_value(holder[2], json.loads(holder[3]), fld)
            oplog._set_incident_field(conn, op.incident_id, fld, value, 0)
    walls = [
        HlcStamp.decode(stamp_text).wall_ms
        for (stamp_text,) in raw.execute(
            "SELECT COALESCE(s.hlc, op.hlc) FROM op LEFT JOIN op_stamp s ON s.op_id = op.op_id "
            "WHERE op.entity = 'incident' AND op.entity_id = ? AND op.schema_version <= ?",
            (op.entity_id, SCHEMA_VERSION),
        )
    ]
    if walls:
        raw.execute("UPDATE incident SET updated_at = ? WHERE id = ?", (max(walls), op.entity_id))
    conflicts.note_siblings(conn, Op(**{**op.__dict__, "hlc": stamp}))


def _settle(
    conn: Connection, entity: str, entity_id: str, register: str, op_fields: tuple[str, ...]
) -> tuple[str, str, str, str] | None:
    """Recompute which op holds a register: the max (ordering stamp, node id)."""
    marks = ",".join("?" * len(op_fields))
    rows = (
        dbapi(conn)
        .execute(
            "SELECT COALESCE(s.hlc, op.hlc), op.node_id, op.field, op.value, op.op_id FROM op "
            "LEFT JOIN op_stamp s ON s.op_id = op.op_id "
            f"WHERE op.entity = ? AND op.entity_id = ? AND op.field IN ({marks}) "
            "AND op.schema_version <= ?",
            (entity, entity_id, *op_fields, SCHEMA_VERSION),
        )
        .fetchall()
    )
    if entity == Entity.INCIDENT:
        rows = [r for r in rows if r[2] != Field.CREATE or register in json.loads(r[3])]
    if not rows:
        return None
    stamp, node, op_field, value, op_id = max(rows, key=lambda r: (r[0], r[1]))
    dbapi(conn).execute(
        "INSERT INTO register(entity, entity_id, field, hlc, node_id, op_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id, field) DO UPDATE SET "
        "hlc = excluded.hlc, node_id = excluded.node_id, op_id = excluded.op_id",
        (entity, entity_id, register, stamp, node, op_id),
    )
    return stamp, node, op_field, value


# -- parked ops ----------------------------------------------------------------------------


def apply_unparked(conn: Connection) -> int:
    """After an upgrade, apply the ops that were parked for being from a newer schema."""
    known = int(oplog.read_meta(conn, META_APPLIED_SCHEMA) or 1)  # 1: the first schema
    if known >= SCHEMA_VERSION:
        return 0
    oplog.write_meta(conn, META_APPLIED_SCHEMA, str(SCHEMA_VERSION))
    rows = (
        dbapi(conn)
        .execute(
            f"SELECT COALESCE(s.hlc, op.hlc), {_QUALIFIED_COLUMNS} "
            "FROM op LEFT JOIN op_stamp s ON s.op_id = op.op_id "
            "WHERE op.schema_version > ? AND op.schema_version <= ? ORDER BY op.seq",
            (known, SCHEMA_VERSION),
        )
        .fetchall()
    )
    for row in rows:
        oplog.apply(conn, _op(row[1:]), stamp=row[0])
    return len(rows)
