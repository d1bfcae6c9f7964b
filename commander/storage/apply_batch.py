"""Storing and applying a run of pulled timeline entries at once: ``oplog``'s rules, fewer calls.

A pull brings ops in pages of thousands, most of them new timeline entries. ``oplog.store`` +
``oplog.apply`` per op costs four SQLite statements each (insert the op, read its node's
ordering claims, upsert the entry, read strikes that arrived first). Sync cuts a page into
runs of consecutive entry creates; any other op ends a run and goes through ``oplog.apply``
on its own, in page order. A run is stored with one ``executemany``, its nodes' ordering
claims are read once, its entries are upserted with one ``executemany`` of the same
statement, and the strikes and amendments already held for them are read in one query.

Within such a run the result is the one-by-one result: an entry create only writes its own
entry row (the upsert keeps the newest create by ``(hlc, node_id)``, applied in page order),
it never changes a register or an ordering claim, so what each op of the run reads is what
it would have read applied alone. Stamp ops, strikes, amendments and every other kind end the
run, so re-ordering still replays through ``oplog.apply``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import Connection

from commander.core.attachments import VALUE_KEY as ATTACHMENT_KEY
from commander.core.ops import SCHEMA_VERSION, Entity, Field, Op
from commander.storage import oplog, ordering
from commander.storage.database import dbapi

_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit
_HELD = (
    "SELECT register.entity_id, register.field, op.value FROM register "
    "JOIN op ON op.op_id = register.op_id "
    "WHERE register.entity = 'entry' AND register.entity_id IN ({marks})"
)


def batchable(op: Op) -> bool:
    """Whether ``op`` may be applied in a run: a timeline entry's create of a known schema
    that carries no file (an attachment is also recorded beside the entry, by ``oplog``)."""
    return (
        op.entity == Entity.ENTRY
        and op.field == Field.CREATE
        and op.schema_version <= (SCHEMA_VERSION)
        and ATTACHMENT_KEY not in op.value
    )


def store_and_apply_entries(conn: Connection, run: Sequence[tuple[Op, str]]) -> None:
    """Store and apply a run of entry creates ``(op, canonical value text)``, in order.

    The caller's transaction makes it atomic; any failure propagates (sync then applies the
    page one op at a time, each in a savepoint, to quarantine the op that failed).
    """
    if not run:
        return
    raw = dbapi(conn)
    raw.executemany(oplog.INSERT_OP, [oplog.op_row(op, text) for op, text in run])
    claims = {node: ordering.node_claims(conn, node) for node in {op.node_id for op, _ in run}}
    rows = []
    for op, _ in run:
        node_claims = claims[op.node_id]
        stamp = ordering.ordering_stamp(conn, op, node_claims) if node_claims else op.hlc
        rows.append(oplog.entry_row(op if stamp == op.hlc else replace(op, hlc=stamp)))
    raw.executemany(oplog.INSERT_ENTRY, rows)
    # Strikes and amendments that arrived before their entry (sync order) apply now.
    entry_ids = list(dict.fromkeys(op.entity_id for op, _ in run))
    for start in range(0, len(entry_ids), _CHUNK):
        chunk = entry_ids[start : start + _CHUNK]
        held = raw.execute(_HELD.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
        for entry_id, field, value in held:
            oplog.apply_entry_change(conn, entry_id, field, json.loads(value))
