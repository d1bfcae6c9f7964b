"""The ordering stamp of an op: what last-writer-wins and the timeline sort by.

Nothing a server wrote decides a merge. An op orders by its own ``hlc`` (hashed, and signed
with the op) unless its *own node* later adopted a lower stamp for it in a ``stamp`` op
(``Entity.STAMP``, field ``ADOPT``, ``{"stamps": {op_id: stamp}}``): the node's answer to the
server saying "your clock ran ahead; I ordered these ops at my time instead". That answer is
an op of the node's chain like any other, so it is covered by the node's hash and signature,
and every replica that holds the same ops derives the same stamps, whatever order they came in:

* a claim counts only for an op of the node that made it, and only when it is lower than the
  op's own ``hlc`` (a node may move its own ops earlier, never later, never another's);
* several claims for one op: the lowest counts.

``op_stamp`` caches the stamps so derived (a cache of the op log, never the truth). When an
adoption arrives for an op already applied, the op's scope (its incident, or the workspace
for people, roles, templates and checklists) is cleared here and replayed by ``oplog`` through
the one apply path; see docs/ordering.md.

Raw DB-API, not Core: it runs for every applied op (``benchmarks/sync.py``: append p99, pull
ops/s).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from commander.core.ops import SCHEMA_VERSION, Entity, Field, Op
from commander.storage.database import dbapi

_STAMP_TEXT = re.compile(r"^\d{15}\.\d{6}$")

_CLAIMS = "SELECT value FROM op WHERE entity = ? AND entity_id = ? AND node_id = ? AND field = ?"
_RECORD = (
    "INSERT INTO op_stamp(op_id, hlc) VALUES (?, ?) "
    "ON CONFLICT(op_id) DO UPDATE SET hlc = excluded.hlc"
)
_TARGET = "SELECT node_id, hlc, incident_id FROM op WHERE op_id = ?"

# Tables materialized from ops, by scope. An incident's rows carry its id; workspace-wide
# rows (incident_id "" ops) have a table of their own each.
INCIDENT_TABLES = (
    "entry",
    "deadline_event",
    "role_assignment",
    "comms_draft",
    "impact_sample",
    "review_field",
    "review_schedule",
    "action_item",
    "checklist_tick",
    "runbook_value",
    "alert_link",
    "attachment",
)
WORKSPACE_TABLES = ("person", "role_def", "comms_template", "checklist_def", "procedure_def")
WORKSPACE_SCOPE = ""


def claims_of(value: Any) -> dict[str, str]:
    """The well-formed ``op_id -> stamp`` claims of a stamp op's value."""
    stamps = value.get("stamps") if isinstance(value, dict) else None
    if not isinstance(stamps, dict):
        return {}
    return {
        str(op_id): stamp
        for op_id, stamp in stamps.items()
        if isinstance(stamp, str) and _STAMP_TEXT.match(stamp)
    }


def node_claims(conn: Connection, node_id: str) -> dict[str, str]:
    """op id -> the lowest stamp ``node_id`` adopted for it, over all its stamp ops here.

    A batch of pulled ops reads this once per node (``apply_batch``) instead of once per op.
    """
    lowest: dict[str, str] = {}
    for (raw,) in (
        dbapi(conn).execute(_CLAIMS, (Entity.STAMP, node_id, node_id, Field.ADOPT)).fetchall()
    ):
        try:
            claims = claims_of(json.loads(raw))
        except ValueError:
            continue
        for op_id, claim in claims.items():
            if op_id not in lowest or claim < lowest[op_id]:
                lowest[op_id] = claim
    return lowest


def claim_for(claims: dict[str, str], op: Op) -> str | None:
    """The claim that orders ``op``: only one lower than its own ``hlc`` counts."""
    claim = claims.get(op.op_id)
    return claim if claim is not None and claim < op.hlc else None


def claimed_stamp(conn: Connection, op: Op) -> str | None:
    """The lowest valid stamp ``op``'s own node adopted for it; None when there is none."""
    return claim_for(node_claims(conn, op.node_id), op)


def ordering_stamp(conn: Connection, op: Op, claims: dict[str, str] | None = None) -> str:
    """The stamp ``op`` orders by, recorded in ``op_stamp`` when it is not its own hlc.

    ``claims``: ``node_claims`` of the op's node, when the caller already read them.
    """
    if claims is None:
        claims = node_claims(conn, op.node_id)
    claim = claim_for(claims, op)
    if claim is None:
        return op.hlc
    dbapi(conn).execute(_RECORD, (op.op_id, claim))
    return claim


def adopt(conn: Connection, op: Op) -> set[str]:
    """Apply a stamp op: the scopes whose applied ops now order differently."""
    if op.entity_id != op.node_id or op.field != Field.ADOPT:
        return set()  # a node speaks for its own ops only
    raw = dbapi(conn)
    scopes: set[str] = set()
    for target_id in sorted(claims_of(op.value)):
        row = raw.execute(_TARGET, (target_id,)).fetchone()
        if row is None or row[0] != op.node_id:
            continue  # not here yet (its own apply finds the claim), or not this node's
        node_id, hlc, incident_id = row
        target = Op(target_id, node_id, hlc, incident_id, "", "", "", None, "")
        claim = claimed_stamp(conn, target)
        if claim is None:
            continue
        current = raw.execute("SELECT hlc FROM op_stamp WHERE op_id = ?", (target_id,)).fetchone()
        if current is None or current[0] != claim:
            raw.execute(_RECORD, (target_id, claim))
            scopes.add(incident_id)
    return scopes


def clear_scope(conn: Connection, incident_id: str) -> None:
    """Remove everything ops of one scope materialized, so a replay rebuilds it."""
    raw = dbapi(conn)
    raw.execute(
        "DELETE FROM register WHERE EXISTS (SELECT 1 FROM op WHERE op.incident_id = ? "
        "AND op.entity = register.entity AND op.entity_id = register.entity_id)",
        (incident_id,),
    )
    if incident_id == WORKSPACE_SCOPE:
        for table in WORKSPACE_TABLES:
            raw.execute(f"DELETE FROM {table}")
        return
    raw.execute("DELETE FROM incident WHERE id = ?", (incident_id,))
    for table in INCIDENT_TABLES:
        raw.execute(f"DELETE FROM {table} WHERE incident_id = ?", (incident_id,))


def scope_ops(conn: Connection, incident_id: str) -> Iterator[Op]:
    """The ops of one scope in log order, stamp ops left out (they order, never materialize)."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
            "schema_version, prev_hash, hash FROM op "
            "WHERE incident_id = ? AND entity <> ? AND schema_version <= ? ORDER BY seq",
            (incident_id, Entity.STAMP, SCHEMA_VERSION),
        )
        .fetchall()
    )
    for row in rows:
        try:
            value = json.loads(row[7])
        except ValueError:
            continue  # a damaged op materializes nothing (verify names it)
        op_id, node_id, hlc, scope, entity, entity_id, field, _, author, version, prev, h = row
        yield Op(
            op_id, node_id, hlc, scope, entity, entity_id, field, value, author, version, prev, h
        )
