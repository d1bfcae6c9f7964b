"""The local side of sync: what waits to be pushed, and applying what was pulled.

Pulled ops go through ``oplog.store`` + ``oplog.apply`` (the same rules as local writes), the
HLC moves past them and the pull cursor moves, all in one local transaction: a crash leaves
either all of a batch or none of it. Ops already present (our own coming back, a batch seen
twice) are skipped, except that our own ops the server clamped (a clock that ran ahead) are
re-stamped by a stamp op of our own chain, in the same transaction (docs/ordering.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.hlc import HlcStamp, receive
from commander.core.ops import SCHEMA_VERSION, Entity, Field, Op
from commander.core.signing import Signer
from commander.storage import apply_batch, conflicts, oplog, ordering, sync_queries
from commander.sync import checks

META_SERVER_ID = "sync.server_id"
META_PUSH_SEQ = "sync.push_seq"
META_PULL_SEQ = "sync.pull_seq"
META_URL = "sync.url"
META_APPLIED_SCHEMA = "sync.applied_schema"
META_ORDERING = "sync.ordering"
ORDERING_VERSION = "adopted"  # ordering stamps come from the ops' own nodes only
# How far ahead of this clock a pulled stamp may move it (the server's default max skew).
MAX_RECEIVE_AHEAD_MS = 5_000
_META_HLC = "hlc"  # oplog's key for the node's last HLC stamp

OP_COLUMNS = sync_queries.OP_COLUMNS  # in the order the server's op table and push() take them


@dataclass
class PullApplied:
    """What one pulled batch did to the workspace."""

    applied: int = 0
    duplicates: int = 0
    parked: int = 0
    restamped: int = 0
    adopted: bool = False  # this node wrote stamp ops: they wait to be pushed
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
    return sync_queries.own_ops_after(conn, node_id, read_int(conn, META_PUSH_SEQ), limit)


def pending_batch(conn: Connection, node_id: str, limit: int) -> tuple[int, int, str]:
    """The next batch to push as (count, last local seq, JSON array of op objects).

    SQLite builds the JSON (in C, a third of the cost of ``json.dumps`` on fetched rows);
    ``ord`` is the local seq, which keeps each node's chain order.
    """
    return ops_after(conn, node_id, read_int(conn, META_PUSH_SEQ), limit)


def ops_after(conn: Connection, node_id: str, cursor: int, limit: int) -> tuple[int, int, str]:
    """``pending_batch`` for any node's ops after local seq ``cursor`` (relaying uses it)."""
    return sync_queries.ops_json_after(conn, node_id, cursor, limit)


def pending_count(conn: Connection, node_id: str) -> tuple[int, int | None]:
    """How many of this node's ops wait, and the wall time (ms) of the oldest."""
    count, oldest = sync_queries.waiting(conn, node_id, read_int(conn, META_PUSH_SEQ))
    return count, (HlcStamp.decode(oldest).wall_ms if oldest else None)


def read_count(conn: Connection, table: str) -> int:
    return sync_queries.row_count(conn, table)


def seq_of_hash(conn: Connection, node_id: str, op_hash: str) -> int | None:
    """The local seq of this node's op with ``op_hash``; None when it has no such op."""
    return sync_queries.seq_of_hash(conn, node_id, op_hash)


def count_own_between(conn: Connection, node_id: str, after: int, upto: int) -> int:
    return sync_queries.count_own_between(conn, node_id, after, upto)


def local_head(conn: Connection, node_id: str) -> int:
    return sync_queries.node_head_seq(conn, node_id)


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
    signer: Callable[[], Signer],
    guarded: bool = True,
    verified: dict[str, Op] | None = None,
) -> PullApplied:
    """Apply server rows ``(seq, effective_hlc, *OP_COLUMNS)`` and move the pull cursor.

    The caller's write transaction makes the batch atomic. ``effective_hlc`` (the server's
    clamp) orders nothing here: it is only read for this node's own ops coming back, which
    this node then re-stamps in an op of its own chain (``adopt_clamps``). ``verified``: the
    ops ``checks.screen`` parsed (their value text is canonical). Unguarded, runs of timeline
    entries are stored and applied together (``apply_batch``); guarded, each op in its own
    savepoint, so one that fails is quarantined alone.
    """
    result = PullApplied()
    if not rows:
        return result
    present = _present(conn, [row[2] for row in rows])
    newest: str | None = None  # the highest stamp of another node's op here
    clamped: list[tuple[Op, str]] = []
    run: list[tuple[Op, str]] = []
    aside: set[str] = set()  # hashes of ops quarantined while applying this batch
    for row in rows:
        server_stamp = row[1]
        op = verified.get(row[2]) if verified else None
        text = row[9] if op is not None else None
        op = op if op is not None else _op(row[2:])
        if op.op_id in present:
            result.duplicates += 1
            if (
                op.node_id == node_id
                and op.entity != Entity.STAMP
                and server_stamp < op.hlc
                and present[op.op_id] == op.hlc
            ):
                clamped.append((op, server_stamp))
            continue
        if op.prev_hash in aside:  # as a later page would find it: its link is not here
            aside.add(op.hash)
            _set_aside(conn, result, op, row, "it continues an op that was quarantined", wall_ms)
            continue
        if not guarded and apply_batch.batchable(op):
            run.append((op, text if text is not None else op.value_json()))
        else:
            apply_batch.store_and_apply_entries(conn, run)
            run.clear()
            failed = checks.apply_guarded(conn, op, guarded=guarded)
            if failed is not None:  # verified, but its value breaks the apply code: aside
                aside.add(op.hash)
                _set_aside(conn, result, op, row, failed, wall_ms)
                continue
            _noted(conn, result, op)
        present[op.op_id] = op.hlc
        if op.schema_version > SCHEMA_VERSION:
            result.parked += 1
        else:
            result.applied += 1
        result.incident_ids.add(op.incident_id)
        if op.entity == Entity.ENTRY:
            result.entry_ids.add(op.entity_id)
        if op.node_id != node_id and (newest is None or op.hlc > newest):
            newest = op.hlc  # fixed-width text: orders as the stamps do
    apply_batch.store_and_apply_entries(conn, run)
    if clamped:
        result.restamped += adopt_clamps(
            conn, clamped, node_id=node_id, wall_ms=wall_ms, signer=signer()
        )
        result.adopted = True
        for op, _ in clamped:
            _touched_scope(conn, result, op.incident_id)
    if newest is not None:
        # A far-ahead stamp moves this clock no further than the allowed skew.
        remote = min(HlcStamp.decode(newest), HlcStamp(wall_ms + MAX_RECEIVE_AHEAD_MS))
        last_text = oplog.read_meta(conn, _META_HLC)
        last = HlcStamp.decode(last_text) if last_text else HlcStamp(0, 0)
        oplog.write_meta(conn, _META_HLC, receive(last, remote, wall_ms).encode())
    oplog.write_meta(conn, META_PULL_SEQ, str(rows[-1][0]))
    return result


def _set_aside(
    conn: Connection, result: PullApplied, op: Op, row: Sequence[Any], reason: str, wall_ms: int
) -> None:
    """Quarantine ``op``. Its node's later ops go aside with it, in this page or a later one,
    so replicas that page the server differently still agree (and every local chain stays
    unbroken)."""
    problem = checks.Quarantined(op.op_id, op.node_id, op.author, int(row[0]), reason)
    checks.note(conn, problem, checks.QUARANTINED, row, wall_ms)
    result.quarantined.append(problem)


def _noted(conn: Connection, result: PullApplied, op: Op) -> None:
    """What an op applied on its own adds to the report: re-stamps, conflicts."""
    if op.entity == Entity.STAMP:
        result.clamped_nodes[op.node_id] = op.author
        result.restamped += len(ordering.claims_of(op.value))
        _touched_scope(conn, result, op.incident_id)
    if conflicts.is_register_change(op):
        result.conflict_ids.update(dict.fromkeys(_conflict_ids(conn, op), op.incident_id))


def _touched_scope(conn: Connection, result: PullApplied, incident_id: str) -> None:
    """A re-ordered scope: its incident and every entry of it may have moved."""
    result.incident_ids.add(incident_id)
    result.entry_ids.update(sync_queries.entry_ids_of(conn, incident_id))


def _present(conn: Connection, op_ids: list[str]) -> dict[str, str]:
    """op id -> its ordering stamp, for those of ``op_ids`` already in the workspace."""
    return sync_queries.ordering_stamps(conn, op_ids)


def _conflict_ids(conn: Connection, op: Op) -> Iterable[str]:
    rivals = sync_queries.rival_edits(
        conn, op.entity_id, op.field, op.node_id, op.value.get("base")
    )
    return [conflicts.conflict_id(op.op_id, other) for other in rivals]


# -- clamped stamps ------------------------------------------------------------------------


class _At:
    """The clock of a pull batch: the wall time the batch is applied at."""

    def __init__(self, wall_ms: int) -> None:
        self._when = from_ms(wall_ms)

    def now(self) -> datetime:
        return self._when


def adopt_clamps(
    conn: Connection,
    clamped: Sequence[tuple[Op, str]],
    *,
    node_id: str,
    wall_ms: int,
    signer: Signer,
) -> int:
    """This node's ops the server clamped: adopt the server's stamps in ops of our own chain.

    One stamp op per incident (so an incident's export carries it), authored like the ops
    it re-orders; applying it re-orders them here exactly as on every other replica.
    """
    by_scope: dict[tuple[str, str], dict[str, str]] = {}
    for op, stamp in clamped:
        by_scope.setdefault((op.incident_id, op.author), {})[op.op_id] = stamp
    for (incident_id, author), stamps in sorted(by_scope.items()):
        draft = oplog.OpDraft(incident_id, Entity.STAMP, node_id, Field.ADOPT, {"stamps": stamps})
        oplog.append(
            conn, [draft], node_id=node_id, author=author, clock=_At(wall_ms), signer=signer
        )
    return len(clamped)


def upgrade_ordering(conn: Connection) -> bool:
    """Once per workspace: drop stamps the server decided and rebuild without them.

    Before ordering stamps were signed, ``op_stamp`` held the server's ``effective_hlc``.
    The pull cursor starts over so this node's own clamped ops come back and are adopted.
    """
    if oplog.read_meta(conn, META_ORDERING) == ORDERING_VERSION:
        return False
    if sync_queries.drop_ordering_stamps(conn):
        for scope in sync_queries.scopes(conn):
            oplog.reapply(conn, scope)
        oplog.write_meta(conn, META_PULL_SEQ, "0")
    oplog.write_meta(conn, META_ORDERING, ORDERING_VERSION)
    return True


# -- parked ops ----------------------------------------------------------------------------


def apply_unparked(conn: Connection) -> int:
    """After an upgrade, apply the ops that were parked for being from a newer schema."""
    known = int(oplog.read_meta(conn, META_APPLIED_SCHEMA) or 1)  # 1: the first schema
    if known >= SCHEMA_VERSION:
        return 0
    oplog.write_meta(conn, META_APPLIED_SCHEMA, str(SCHEMA_VERSION))
    rows = sync_queries.parked_rows(conn, known, SCHEMA_VERSION)
    for row in rows:
        oplog.apply(conn, _op(row[1:]))
    return len(rows)
