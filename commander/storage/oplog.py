"""Writing ops and applying them to the materialized tables, in one transaction.

``append`` is the only way local changes enter the workspace; ``apply`` is shared with sync,
so a change looks the same whether it was typed here or pulled from the server.
Register fields are last-writer-wins by ``(hlc, node_id)``; timeline entries are append-only.
This is the hot path (every keystroke-Enter of the scribe, every op pulled by sync), so it
uses fixed SQL strings: building SQLAlchemy statements per op cost ~0.3 ms each.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.attachments import VALUE_KEY as ATTACHMENT_KEY
from commander.core.clock import Clock, iso, parse_iso, to_ms
from commander.core.entry_kinds import normalize_kind
from commander.core.hlc import ZERO, HlcStamp, tick
from commander.core.ids import new_id
from commander.core.ops import (
    GENESIS_HASH,
    INCIDENT_REGISTERS,
    SCHEMA_VERSION,
    WORKSPACE_SCOPE,
    Entity,
    Field,
    Op,
    register_value,
)
from commander.core.signing import Signer, key_op_value
from commander.storage import (
    apply_alerts,
    apply_checklists,
    apply_comms,
    apply_deadlines,
    apply_impact,
    apply_keys,
    apply_review,
    apply_team,
    blobs,
    conflicts,
    ordering,
)
from commander.storage.database import dbapi
from commander.storage.registers import register_holder, wins

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


def system_entry(
    incident_id: str, when: datetime, event: str, action: str, owner: str, entry_id: str
) -> OpDraft:
    """A timeline entry the app writes itself (``kind`` system): a status change, an alert."""
    return OpDraft(
        incident_id,
        Entity.ENTRY,
        entry_id,
        Field.CREATE,
        {
            "occurred_at": iso(when),
            "event": event[:4000],
            "action": action,
            "owner": owner,
            "kind": "system",
        },
    )


def read_meta(conn: Connection, key: str) -> str | None:
    row = dbapi(conn).execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def write_meta(conn: Connection, key: str, value: str) -> None:
    dbapi(conn).execute(
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
    signer: Signer | None = None,
    seqs: list[int] | None = None,
) -> list[Op]:
    """Stamp, chain, sign, store and apply ``drafts``; the caller's transaction makes it atomic.

    ``seqs``, when given, receives the local sequence number of each returned op: what the
    writer's own ``ChangeSet`` carries so its window need not read the ops back.

    The HLC and the chain head are read inside the transaction (not cached), so two
    processes writing to one workspace still produce one unbroken chain. With a ``signer``,
    a node that has not introduced its key yet does so first (a key op, not returned).
    """
    introduce = signer is not None and not apply_keys.has_key(conn, node_id)
    if introduce:
        assert signer is not None
        key_draft = OpDraft(
            WORKSPACE_SCOPE, Entity.NODE, node_id, Field.KEY, key_op_value(signer.public_key)
        )
        drafts = [key_draft, *drafts]
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
        if signer is not None:
            op = replace(op, signature=signer.sign(op.signed_bytes()))
        head = op.hash
        seq = store(conn, op)
        apply(conn, op)
        if seqs is not None and (ops or not introduce):
            seqs.append(seq)
        ops.append(op)
    write_meta(conn, _META_HLC, last.encode())
    write_meta(conn, _META_CHAIN_HEAD, head)
    return ops[1:] if introduce else ops


INSERT_OP = (
    "INSERT INTO op(op_id, node_id, hlc, incident_id, entity, entity_id, field, value, author, "
    "schema_version, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_INCIDENT = (
    "INSERT OR IGNORE INTO incident(id, ref, title, severity, status, phase, services, impact, "
    "declared_at, declared_by, updated_at, partners_affected, security_related) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Two laptops may write one derived entry ("Alert fired", same id): the newest create is the
# entry on every replica, whichever arrived first; strikes and amendments stay (registers).
INSERT_ENTRY = (
    "INSERT INTO entry(id, incident_id, occurred_at, hlc, node_id, kind, event, action, "
    "owner, author, struck, strike_reason, amended_event, amended_action, attributed_to, "
    "answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', NULL, NULL, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET occurred_at = excluded.occurred_at, hlc = excluded.hlc, "
    "node_id = excluded.node_id, kind = excluded.kind, event = excluded.event, "
    "action = excluded.action, owner = excluded.owner, author = excluded.author, "
    "attributed_to = excluded.attributed_to, answers = excluded.answers "
    "WHERE (excluded.hlc, excluded.node_id) > (entry.hlc, entry.node_id)"
)
SELECT_HOLDERS = (
    "SELECT register.field, op.value, op.hlc, op.field FROM register "
    "JOIN op ON op.op_id = register.op_id "
    "WHERE register.entity = ? AND register.entity_id = ?"
)
_STRIKE = "UPDATE entry SET struck = 1, strike_reason = ? WHERE id = ?"
_AMEND = "UPDATE entry SET amended_event = ?, amended_action = ? WHERE id = ?"
_KEY_EVENT = "UPDATE entry SET key_event = ? WHERE id = ?"
_INCIDENT_COLUMNS = {field: field for field in INCIDENT_REGISTERS}  # names are not user input


def store(conn: Connection, op: Op) -> int:
    """Insert ``op``; returns its local sequence number."""
    cursor = dbapi(conn).execute(INSERT_OP, op_row(op, op.value_json()))
    seq = cursor.lastrowid
    assert seq is not None
    return seq


def op_row(op: Op, value_text: str) -> tuple[Any, ...]:
    """The ``INSERT_OP`` parameters; ``value_text`` is the value's canonical JSON."""
    return (
        op.op_id,
        op.node_id,
        op.hlc,
        op.incident_id,
        op.entity,
        op.entity_id,
        op.field,
        value_text,
        op.author,
        op.schema_version,
        op.prev_hash,
        op.hash,
        op.signature,
    )


def apply(conn: Connection, op: Op) -> None:
    """Make the materialized tables reflect ``op``; ops from a newer schema wait (parked).

    The one owner of applying: local writes, pulled ops, imports, verify's replay and any
    re-ordering come through here. ``op.hlc`` is replaced by the op's ordering stamp when its
    own node adopted a lower one (``ordering``); hashing always uses the original.
    """
    if op.schema_version > SCHEMA_VERSION:
        return
    if op.entity == Entity.STAMP:
        for scope in sorted(ordering.adopt(conn, op)):
            reapply(conn, scope)
        return
    stamp = ordering.ordering_stamp(conn, op)
    if stamp != op.hlc:
        op = replace(op, hlc=stamp)
    if op.entity == Entity.INCIDENT:
        _apply_incident(conn, op)
        conflicts.note_siblings(conn, op)  # sync hook: concurrent edits of one field
    elif op.entity == Entity.ENTRY:
        _apply_entry(conn, op)
    elif op.entity == Entity.DEADLINE:
        apply_deadlines.apply_deadline_event(conn, op)
    elif op.entity == Entity.ROLE:
        apply_team.apply_role(conn, op)
    elif op.entity == Entity.PERSON:
        apply_team.apply_person(conn, op)
    elif op.entity == Entity.ROLE_DEF:
        apply_team.apply_role_def(conn, op)
    elif op.entity in (Entity.TEMPLATE, Entity.DRAFT):
        apply_comms.apply_comms(conn, op)
    elif op.entity == Entity.IMPACT:
        apply_impact.apply_impact(conn, op)
    elif op.entity == Entity.REVIEW:
        apply_review.apply_review(conn, op)
    elif op.entity == Entity.ACTION_ITEM:
        apply_review.apply_action_item(conn, op)
    elif op.entity in apply_checklists.ENTITIES:
        apply_checklists.apply(conn, op)
    elif op.entity == Entity.PROCEDURE:
        apply_checklists.apply_procedure(conn, op)
    elif op.entity == Entity.ALERT_LINK:
        apply_alerts.apply_alert_link(conn, op)
    elif op.entity == Entity.NODE and op.field == Field.KEY:
        apply_keys.apply_key(conn, op)


def reapply(conn: Connection, incident_id: str) -> None:
    """Rebuild one scope (an incident, or ``""`` for the workspace) from its ops.

    What re-ordering does after a stamp changed: clear what the scope's ops materialized and
    apply each again through ``apply``, so every entity kind settles by the same rules.
    """
    ordering.clear_scope(conn, incident_id)
    for op in list(ordering.scope_ops(conn, incident_id)):
        apply(conn, op)


def _incident_column_value(field: str, value: Any) -> Any:
    if field == Field.SERVICES:
        return json.dumps(value, ensure_ascii=False)
    if field in (Field.PARTNERS_AFFECTED, Field.SECURITY_RELATED):
        return int(bool(value))
    return value


def _set_incident_field(
    conn: Connection, incident_id: str, field: str, value: Any, stamp_ms: int
) -> None:
    column = _INCIDENT_COLUMNS[field]
    dbapi(conn).execute(
        f"UPDATE incident SET {column} = ?, updated_at = MAX(updated_at, ?) WHERE id = ?",
        (_incident_column_value(field, value), stamp_ms, incident_id),
    )


def _apply_incident(conn: Connection, op: Op) -> None:
    stamp_ms = HlcStamp.decode(op.hlc).wall_ms
    if op.field == Field.CREATE:
        value = op.value
        dbapi(conn).execute(
            _INSERT_INCIDENT,
            (
                op.incident_id,
                value["ref"],
                value["title"],
                value["severity"],
                value["status"],
                value["phase"],
                json.dumps(value.get("services", []), ensure_ascii=False),
                value.get("impact", ""),
                to_ms(parse_iso(value["declared_at"])),
                op.author,
                stamp_ms,
                int(bool(value.get("partners_affected", False))),
                int(bool(value.get("security_related", False))),
            ),
        )
        lost = [
            field for field in INCIDENT_REGISTERS if field in value and not wins(conn, op, field)
        ]
        if lost:
            # Later changes arrived before the create op (sync order): keep their values.
            holders = dbapi(conn).execute(SELECT_HOLDERS, (op.entity, op.entity_id))
            for field, raw, hlc, op_field in holders.fetchall():
                if field in lost:
                    held = register_value(op_field, json.loads(raw), field)
                    _set_incident_field(
                        conn, op.incident_id, field, held, HlcStamp.decode(hlc).wall_ms
                    )
        return
    if op.field in INCIDENT_REGISTERS and wins(conn, op, op.field):
        value = register_value(op.field, op.value, op.field)
        _set_incident_field(conn, op.incident_id, op.field, value, stamp_ms)


def _apply_entry(conn: Connection, op: Op) -> None:
    if op.field == Field.CREATE:
        dbapi(conn).execute(INSERT_ENTRY, entry_row(op))
        if ATTACHMENT_KEY in op.value:
            blobs.apply_attachment(conn, op)
        # A strike or amendment that arrived before its entry (sync order) applies now.
        holders = dbapi(conn).execute(SELECT_HOLDERS, (op.entity, op.entity_id))
        for field, raw, _hlc, _op_field in holders.fetchall():
            apply_entry_change(conn, op.entity_id, field, json.loads(raw))
        return
    if op.field in (Field.STRIKE, Field.AMEND, Field.KEY_EVENT) and wins(conn, op, op.field):
        apply_entry_change(conn, op.entity_id, op.field, op.value)


def entry_row(op: Op) -> tuple[Any, ...]:
    """The ``INSERT_ENTRY`` parameters of an entry's create op (also used by ``apply_batch``).

    An entry's time is never after its op's (ordering) stamp: a clock that ran ahead does not
    put entries in the future.
    """
    value = op.value
    return (
        op.entity_id,
        op.incident_id,
        min(_occurred_ms(value["occurred_at"]), int(op.hlc.partition(".")[0])),
        op.hlc,
        op.node_id,
        normalize_kind(value.get("kind")),
        value["event"],
        value.get("action", ""),
        value.get("owner", ""),
        op.author,
        value.get("attributed_to", ""),
        value.get("answers", ""),
    )


def _occurred_ms(text: str) -> int:
    """``iso()``'s own form (``…Z``, what every client writes) parsed directly; anything else
    through ``parse_iso``. A pull parses one per entry."""
    if text.endswith("Z"):
        try:
            return to_ms(datetime.fromisoformat(text))
        except ValueError:
            pass
    return to_ms(parse_iso(text))


def apply_entry_change(conn: Connection, entry_id: str, field: str, value: Any) -> None:
    if field == Field.STRIKE:
        dbapi(conn).execute(_STRIKE, (value.get("reason", ""), entry_id))
    elif field == Field.AMEND:
        dbapi(conn).execute(_AMEND, (value.get("event"), value.get("action"), entry_id))
    elif field == Field.KEY_EVENT:
        marked = register_value(field, value, field)
        dbapi(conn).execute(_KEY_EVENT, (1 if marked else 0, entry_id))


__all__ = ["OpDraft", "append", "apply", "reapply", "register_holder", "store"]
