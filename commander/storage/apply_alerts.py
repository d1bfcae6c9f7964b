"""Materializing alert-incident links: which alert an incident was declared from or linked
to, and when that alert resolved. Links are ops, so every laptop knows them after sync.

An alert can resolve and fire again: a FIRED op starts a new firing. The link's state is a
function of all its ops, whatever order they arrive in: ``fired_at`` is the latest firing,
``resolved_at`` the earliest resolution of that firing (two laptops that both saw the alert
end agree on one time), or NULL while it fires again.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field, Op
from commander.storage.database import dbapi
from commander.storage.registers import wins

_INSERT_LINK = (
    "INSERT OR REPLACE INTO alert_link(incident_id, fingerprint, name, summary, fired_at, "
    "linked_at, resolved_at, author) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)"
)
_OPS_OF_LINK = "SELECT field, value FROM op WHERE entity = ? AND entity_id = ?"
_SET_STATE = (
    "UPDATE alert_link SET fired_at = ?, resolved_at = ? WHERE incident_id = ? AND fingerprint = ?"
)


def apply_alert_link(conn: Connection, op: Op) -> None:
    incident_id, _, fingerprint = op.entity_id.partition(":")
    db = dbapi(conn)
    if op.field == Field.CREATE:
        if not wins(conn, op, Field.CREATE):
            return  # two laptops linked it: the newest link's details, on every replica
        value = op.value
        db.execute(
            _INSERT_LINK,
            (
                incident_id,
                fingerprint,
                value.get("name", ""),
                value.get("summary", ""),
                to_ms(parse_iso(value["starts_at"])),
                HlcStamp.decode(op.hlc).wall_ms,
                op.author,
            ),
        )
        # A resolution or firing that arrived before its link (sync order) applies now.
        _settle(conn, op.entity_id)
        return
    if op.field in (Field.RESOLVED, Field.FIRED):
        _settle(conn, op.entity_id)


def _settle(conn: Connection, entity_id: str) -> None:
    """Derive the link's firing and resolution from every op it has (stored before apply)."""
    incident_id, _, fingerprint = entity_id.partition(":")
    db = dbapi(conn)
    created: int | None = None
    firings: list[int] = []
    resolutions: list[int] = []
    for field, raw in db.execute(_OPS_OF_LINK, (Entity.ALERT_LINK, entity_id)).fetchall():
        value = json.loads(raw)
        if field == Field.CREATE:
            created = to_ms(parse_iso(value["starts_at"]))
        elif field == Field.FIRED:
            firings.append(to_ms(parse_iso(value["at"])))
        elif field == Field.RESOLVED:
            resolutions.append(to_ms(parse_iso(value["at"])))
    if created is None:
        return  # the link itself has not arrived yet: its CREATE settles it
    fired = max([created, *firings])
    if firings:  # only a resolution of the latest firing counts
        resolutions = [r for r in resolutions if r >= fired]
    db.execute(_SET_STATE, (fired, min(resolutions, default=None), incident_id, fingerprint))
