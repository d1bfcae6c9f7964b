"""The local alert cache and the alert-incident links, read and written for the service.

The cache is plain rows, not ops: it mirrors what the sources say right now, every laptop
polls its own, and replaying a week of poll results through the op log would bloat it
for nothing. What must be shared — links and timeline entries — goes through ops.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from commander.core.alerts import FIRING, Alert
from commander.core.clock import from_ms, to_ms
from commander.storage.database import dbapi

_COLUMNS = (
    "fingerprint, status, name, labels, annotations, starts_at, ends_at, generator_url, "
    "silenced_by, inhibited_by, source, first_seen, last_seen"
)
_UPSERT = (
    f"INSERT INTO alert({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(fingerprint) DO UPDATE SET status = excluded.status, name = excluded.name, "
    "labels = excluded.labels, annotations = excluded.annotations, "
    "starts_at = excluded.starts_at, ends_at = excluded.ends_at, "
    "generator_url = excluded.generator_url, silenced_by = excluded.silenced_by, "
    "inhibited_by = excluded.inhibited_by, source = excluded.source, "
    "last_seen = excluded.last_seen"
)


@dataclass(frozen=True)
class AlertLink:
    incident_id: str
    fingerprint: str
    name: str
    fired_at: datetime
    resolved_at: datetime | None


def get(conn: Connection, fingerprint: str) -> Alert | None:
    row = (
        dbapi(conn)
        .execute(f"SELECT {_COLUMNS} FROM alert WHERE fingerprint = ?", (fingerprint,))
        .fetchone()
    )
    return _alert(row) if row else None


def match(conn: Connection, prefix: str) -> list[Alert]:
    """Alerts whose fingerprint starts with ``prefix`` (people type the first few)."""
    rows = dbapi(conn).execute(
        f"SELECT {_COLUMNS} FROM alert WHERE fingerprint LIKE ? ESCAPE '\\' LIMIT 6",
        (prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
    )
    return [_alert(r) for r in rows.fetchall()]


def all_alerts(conn: Connection) -> list[Alert]:
    rows = dbapi(conn).execute(f"SELECT {_COLUMNS} FROM alert")
    return [_alert(r) for r in rows.fetchall()]


def state_stamp(conn: Connection) -> tuple[int, ...]:
    """A cheap summary of the cache that changes whenever any process ingests or resolves.

    Another process (``commander alerts ingest``) writes this table without an op, so an open
    window compares this once a second instead of re-reading every alert.
    """
    row = (
        dbapi(conn)
        .execute(
            "SELECT count(*), coalesce(max(last_seen), 0), coalesce(sum(status = ?), 0), "
            "coalesce(sum(length(silenced_by) + length(inhibited_by)), 0), "
            "coalesce(sum(coalesce(ends_at, 0) % 1000003), 0), "
            "coalesce(sum(starts_at % 1000003), 0) FROM alert",
            (FIRING,),
        )
        .fetchone()
    )
    return tuple(int(v) for v in row)


def upsert(conn: Connection, alert: Alert, now: datetime) -> None:
    stamp = to_ms(now)
    dbapi(conn).execute(
        _UPSERT,
        (
            alert.fingerprint,
            alert.status,
            alert.name,
            json.dumps(dict(alert.labels), ensure_ascii=False, sort_keys=True),
            json.dumps(dict(alert.annotations), ensure_ascii=False, sort_keys=True),
            to_ms(alert.starts_at),
            to_ms(alert.ends_at) if alert.ends_at else None,
            alert.generator_url,
            json.dumps(list(alert.silenced_by)),
            json.dumps(list(alert.inhibited_by)),
            alert.source,
            stamp,
            stamp,
        ),
    )


def firing_from(conn: Connection, sources: Iterable[str]) -> list[Alert]:
    """Cached firing alerts last reported by one of ``sources``."""
    wanted = list(sources)
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = dbapi(conn).execute(
        f"SELECT {_COLUMNS} FROM alert WHERE status = ? AND source IN ({marks})",
        (FIRING, *wanted),
    )
    return [_alert(r) for r in rows.fetchall()]


def prune_resolved(conn: Connection, before: datetime) -> int:
    """Forget resolved alerts last seen before ``before`` (the panel shows a day of them)."""
    cursor = dbapi(conn).execute(
        "DELETE FROM alert WHERE status != ? AND last_seen < ?", (FIRING, to_ms(before))
    )
    return int(cursor.rowcount or 0)


def links_of(conn: Connection, fingerprint: str) -> list[AlertLink]:
    rows = dbapi(conn).execute(
        "SELECT incident_id, fingerprint, name, fired_at, resolved_at FROM alert_link "
        "WHERE fingerprint = ? ORDER BY linked_at",
        (fingerprint,),
    )
    return [_link(r) for r in rows.fetchall()]


def all_links(conn: Connection) -> list[AlertLink]:
    rows = dbapi(conn).execute(
        "SELECT incident_id, fingerprint, name, fired_at, resolved_at FROM alert_link "
        "ORDER BY linked_at"
    )
    return [_link(r) for r in rows.fetchall()]


def _link(row: tuple) -> AlertLink:  # type: ignore[type-arg]
    incident_id, fingerprint, name, fired_at, resolved_at = row
    return AlertLink(
        incident_id,
        fingerprint,
        name,
        from_ms(fired_at),
        from_ms(resolved_at) if resolved_at is not None else None,
    )


def _alert(row: tuple) -> Alert:  # type: ignore[type-arg]
    (
        fingerprint,
        status,
        _name,
        labels,
        annotations,
        starts_at,
        ends_at,
        generator_url,
        silenced_by,
        inhibited_by,
        source,
        _first_seen,
        _last_seen,
    ) = row
    return Alert(
        fingerprint=fingerprint,
        status=status,
        labels=json.loads(labels),
        annotations=json.loads(annotations),
        starts_at=from_ms(starts_at),
        ends_at=from_ms(ends_at) if ends_at is not None else None,
        generator_url=generator_url,
        silenced_by=tuple(json.loads(silenced_by)),
        inhibited_by=tuple(json.loads(inhibited_by)),
        source=source,
    )
