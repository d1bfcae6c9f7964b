"""Materializing alert-incident links: which alert an incident was declared from or linked
to, and when that alert resolved. Links are ops, so every laptop knows them after sync."""

from __future__ import annotations

import json

from sqlalchemy import Connection

from commander.core.clock import parse_iso, to_ms
from commander.core.hlc import HlcStamp
from commander.core.ops import Entity, Field, Op
from commander.storage.database import dbapi
from commander.storage.registers import wins

_INSERT_LINK = (
    "INSERT OR IGNORE INTO alert_link(incident_id, fingerprint, name, summary, fired_at, "
    "linked_at, resolved_at, author) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)"
)
# The earliest resolution wins: two laptops that both saw the alert end agree on one time.
_RESOLVE = (
    "UPDATE alert_link SET resolved_at = MIN(COALESCE(resolved_at, ?), ?) "
    "WHERE incident_id = ? AND fingerprint = ?"
)


def apply_alert_link(conn: Connection, op: Op) -> None:
    incident_id, _, fingerprint = op.entity_id.partition(":")
    db = dbapi(conn)
    if op.field == Field.CREATE:
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
        # A resolution that arrived before its link (sync order) applies now.
        row = db.execute(
            "SELECT op.value FROM register JOIN op ON op.op_id = register.op_id "
            "WHERE register.entity = ? AND register.entity_id = ? AND register.field = ?",
            (Entity.ALERT_LINK, op.entity_id, Field.RESOLVED),
        ).fetchone()
        if row is not None:
            _resolve(conn, incident_id, fingerprint, json.loads(row[0])["at"])
        return
    if op.field == Field.RESOLVED:
        wins(conn, op, Field.RESOLVED)  # remembered for a link that is not here yet
        _resolve(conn, incident_id, fingerprint, op.value["at"])


def _resolve(conn: Connection, incident_id: str, fingerprint: str, at: str) -> None:
    when = to_ms(parse_iso(at))
    dbapi(conn).execute(_RESOLVE, (when, when, incident_id, fingerprint))
