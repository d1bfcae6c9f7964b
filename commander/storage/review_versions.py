"""Reading a review's competing section versions from the op log (see core.review_versions)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity
from commander.core.review import REVIEW_LABELS
from commander.core.review_versions import Version, heads
from commander.storage.database import dbapi

_SECTION_OPS = (
    "SELECT op_id, hlc, author, field, value FROM op WHERE entity = ? AND entity_id = ? "
    "ORDER BY hlc, node_id"
)
_HOLDERS = "SELECT field, op_id FROM register WHERE entity = ? AND entity_id = ?"


def section_heads(
    conn: Connection, incident_id: str
) -> dict[str, tuple[str | None, list[Version]]]:
    """Per section key with more than one head: (the holder's op id, every other head).

    Heads are listed oldest first. A section with one head is not in the result.
    """
    raw = dbapi(conn)
    by_key: dict[str, list[tuple[str, str, str, Any]]] = {}
    for op_id, hlc, author, field, value_text in raw.execute(
        _SECTION_OPS, (Entity.REVIEW, incident_id)
    ):
        if field not in REVIEW_LABELS:
            continue
        try:
            value = json.loads(value_text)
        except ValueError:
            continue
        by_key.setdefault(field, []).append((op_id, hlc, author, value))
    holders = dict(raw.execute(_HOLDERS, (Entity.REVIEW, incident_id)).fetchall())
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
    row = (
        dbapi(conn)
        .execute("SELECT op_id, hlc, author, value FROM op WHERE op_id = ?", (op_id,))
        .fetchone()
    )
    if row is None:
        return None
    return Version(
        row[0], row[2], from_ms(HlcStamp.decode(row[1]).wall_ms), _text(json.loads(row[3]))
    )


def _text(value: Any) -> str:
    text = value.get("value") if isinstance(value, dict) else None
    return text if isinstance(text, str) else ""
