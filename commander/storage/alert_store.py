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

from sqlalchemy import Connection, bindparam, delete, func, select
from sqlalchemy.dialects.sqlite import insert

from commander.core.alerts import FIRING, Alert
from commander.core.clock import from_ms, to_ms
from commander.storage.tables import alert_link_table as link
from commander.storage.tables import alert_table as alert_t

_a = alert_t.c
_ALERTS = select(
    _a.fingerprint, _a.status, _a.name, _a.labels, _a.annotations, _a.starts_at, _a.ends_at,
    _a.generator_url, _a.silenced_by, _a.inhibited_by, _a.source, _a.first_seen, _a.last_seen,
)  # fmt: skip
_LINKS = select(
    link.c.incident_id, link.c.fingerprint, link.c.name, link.c.fired_at, link.c.resolved_at
).order_by(link.c.linked_at)
# What a poll refreshes of an alert already cached (not when it was first seen).
_REFRESHED = (
    "status", "name", "labels", "annotations", "starts_at", "ends_at", "generator_url",
    "silenced_by", "inhibited_by", "source", "last_seen",
)  # fmt: skip
# A poll upserts every alert it saw: built once, so a poll of many alerts does not rebuild it.
_new = insert(alert_t)
_UPSERT = _new.on_conflict_do_update(
    index_elements=[_a.fingerprint], set_={name: _new.excluded[name] for name in _REFRESHED}
)

# Polled once a second by an open window: built once.
_STATE_STAMP = select(
    func.count(),
    func.coalesce(func.max(_a.last_seen), 0),
    func.coalesce(func.sum(_a.status == bindparam("firing")), 0),
    func.coalesce(func.sum(func.length(_a.silenced_by) + func.length(_a.inhibited_by)), 0),
    func.coalesce(func.sum(func.coalesce(_a.ends_at, 0) % 1000003), 0),
    func.coalesce(func.sum(_a.starts_at % 1000003), 0),
)


@dataclass(frozen=True)
class AlertLink:
    incident_id: str
    fingerprint: str
    name: str
    fired_at: datetime
    resolved_at: datetime | None


def get(conn: Connection, fingerprint: str) -> Alert | None:
    row = conn.execute(_ALERTS.where(_a.fingerprint == fingerprint)).first()
    return _alert(tuple(row)) if row else None


def match(conn: Connection, prefix: str) -> list[Alert]:
    """Alerts whose fingerprint starts with ``prefix`` (people type the first few)."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(_ALERTS.where(_a.fingerprint.like(pattern, escape="\\")).limit(6))
    return [_alert(tuple(r)) for r in rows]


def all_alerts(conn: Connection) -> list[Alert]:
    return [_alert(tuple(r)) for r in conn.execute(_ALERTS)]


def state_stamp(conn: Connection) -> tuple[int, ...]:
    """A cheap summary of the cache that changes whenever any process ingests or resolves.

    Another process (``commander alerts ingest``) writes this table without an op, so an open
    window compares this once a second instead of re-reading every alert.
    """
    row = conn.execute(_STATE_STAMP, {"firing": FIRING}).one()
    return tuple(int(v) for v in row)


def upsert(conn: Connection, alert: Alert, now: datetime) -> None:
    stamp = to_ms(now)
    conn.execute(
        _UPSERT,
        {
            "fingerprint": alert.fingerprint,
            "status": alert.status,
            "name": alert.name,
            "labels": json.dumps(dict(alert.labels), ensure_ascii=False, sort_keys=True),
            "annotations": json.dumps(dict(alert.annotations), ensure_ascii=False, sort_keys=True),
            "starts_at": to_ms(alert.starts_at),
            "ends_at": to_ms(alert.ends_at) if alert.ends_at else None,
            "generator_url": alert.generator_url,
            "silenced_by": json.dumps(list(alert.silenced_by)),
            "inhibited_by": json.dumps(list(alert.inhibited_by)),
            "source": alert.source,
            "first_seen": stamp,
            "last_seen": stamp,
        },
    )


def firing_from(conn: Connection, sources: Iterable[str]) -> list[Alert]:
    """Cached firing alerts last reported by one of ``sources``."""
    wanted = list(sources)
    if not wanted:
        return []
    rows = conn.execute(_ALERTS.where(_a.status == FIRING, _a.source.in_(wanted)))
    return [_alert(tuple(r)) for r in rows]


def prune_resolved(conn: Connection, before: datetime) -> int:
    """Forget resolved alerts last seen before ``before`` (the panel shows a day of them)."""
    result = conn.execute(delete(alert_t).where(_a.status != FIRING, _a.last_seen < to_ms(before)))
    return int(result.rowcount or 0)


def links_of(conn: Connection, fingerprint: str) -> list[AlertLink]:
    rows = conn.execute(_LINKS.where(link.c.fingerprint == fingerprint))
    return [_link(tuple(r)) for r in rows]


def all_links(conn: Connection) -> list[AlertLink]:
    return [_link(tuple(r)) for r in conn.execute(_LINKS)]


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
