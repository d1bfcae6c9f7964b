"""Reading a review's competing section versions from the op log (see core.review_versions)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from commander.core.clock import from_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity
from commander.core.review import REVIEW_LABELS
from commander.core.review_versions import Version, heads
from commander.storage.tables import op_table as op
from commander.storage.tables import register_table as register


def section_heads(
    conn: Connection, incident_id: str
) -> dict[str, tuple[str | None, list[Version]]]:
    """Per section key with more than one head: (the holder's op id, every other head).

    Heads are listed oldest first. A section with one head is not in the result.
    """
    section_ops = (
        select(op.c.op_id, op.c.hlc, op.c.author, op.c.field, op.c.value)
        .where(op.c.entity == Entity.REVIEW, op.c.entity_id == incident_id)
        .order_by(op.c.hlc, op.c.node_id)
    )
    by_key: dict[str, list[tuple[str, str, str, Any]]] = {}
    for op_id, hlc, author, field, value_text in conn.execute(section_ops):
        if field not in REVIEW_LABELS:
            continue
        try:
            value = json.loads(value_text)
        except ValueError:
            continue
        by_key.setdefault(field, []).append((op_id, hlc, author, value))
    holders: dict[str, str] = {
        field: op_id
        for field, op_id in conn.execute(
            select(register.c.field, register.c.op_id).where(
                register.c.entity == Entity.REVIEW, register.c.entity_id == incident_id
            )
        )
    }
    found: dict[str, tuple[str | None, list[Version]]] = {}
    for key, ops in by_key.items():
        tops = heads((op_id, value) for op_id, _, _, value in ops)
        if len(tops) < 2:
            continue
        holder = holders.get(key)
        others = [
            Version(op_id, author, from_ms(HlcStamp.decode(hlc).wall_ms), _text(value))
            for op_id, hlc, author, value in ops
            if op_id in tops and op_id != holder
        ]
        found[key] = (holder, others)
    return found


def version_of(conn: Connection, op_id: str) -> Version | None:
    row = conn.execute(
        select(op.c.op_id, op.c.hlc, op.c.author, op.c.value).where(op.c.op_id == op_id)
    ).first()
    if row is None:
        return None
    return Version(
        row.op_id,
        row.author,
        from_ms(HlcStamp.decode(row.hlc).wall_ms),
        _text(json.loads(row.value)),
    )


def _text(value: Any) -> str:
    text = value.get("value") if isinstance(value, dict) else None
    return text if isinstance(text, str) else ""
