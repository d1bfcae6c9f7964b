"""The local ``outbox`` table: queueing, listing, claiming and settling messages.

Every statement on the outbox lives here; ``services.outbox`` decides when each runs. A claim
and a release are compare-and-sets inside the caller's ``BEGIN IMMEDIATE`` transaction (see
``services.outbox_lease``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from commander.core.channels import Channel
from commander.core.outbox import OutboxItem, OutboxState, outbox_item
from commander.storage.database import dbapi

OUTBOX_COLUMNS = (
    "id, incident_id, template_key, audience, channel, subject, body, payload, state, "
    "attempts, created_at, next_attempt_at, finished_at, answer, error, remote_id, "
    "lease_owner, lease_expires_at"
)

# Incidents paged from here (a trigger sent), now resolved, whose page nobody resolved yet.
_PAGED_AND_RESOLVED = (
    "SELECT DISTINCT o.incident_id FROM outbox o JOIN incident i ON i.id = o.incident_id "
    "WHERE o.channel = ? AND o.state = ? AND i.status IN (?, ?) "
    "AND json_extract(o.payload, '$.event_action') = 'trigger' "
    "AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.incident_id = o.incident_id "
    "AND r.channel = ? AND r.created_at >= o.created_at "
    "AND json_extract(r.payload, '$.event_action') = 'resolve')"
)


def insert_queued(
    conn: Connection,
    item_id: str,
    *,
    incident_id: str,
    template_key: str,
    audience: str,
    channel: str,
    subject: str,
    body: str,
    payload: dict[str, Any],
    now_ms: int,
    remote_id: str | None,
) -> None:
    """A new queued message, due now, never attempted."""
    dbapi(conn).execute(
        f"INSERT INTO outbox({OUTBOX_COLUMNS}) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, NULL, '', '', ?, NULL, NULL)",
        (
            item_id,
            incident_id,
            template_key,
            audience,
            channel,
            subject,
            body,
            json.dumps(payload, ensure_ascii=False),
            OutboxState.QUEUED,
            now_ms,
            now_ms,
            remote_id,
        ),
    )


def paged_resolved_incident_ids(conn: Connection, *, resolved_statuses: Sequence[str]) -> list[str]:
    """Incidents paged from here through PagerDuty, now in ``resolved_statuses`` (two), whose
    page no resolve has followed yet."""
    first, second = resolved_statuses
    params = (Channel.PAGERDUTY.value, OutboxState.SENT, first, second, Channel.PAGERDUTY.value)
    return [row[0] for row in dbapi(conn).execute(_PAGED_AND_RESOLVED, params).fetchall()]


def outbox_items(conn: Connection, incident_id: str | None = None) -> list[OutboxItem]:
    """Newest first; every message of ``incident_id`` or of all incidents."""
    where, params = ("WHERE incident_id = ?", (incident_id,)) if incident_id else ("", ())
    rows = (
        dbapi(conn)
        .execute(
            f"SELECT {OUTBOX_COLUMNS} FROM outbox {where} ORDER BY created_at DESC, id DESC",
            params,
        )
        .fetchall()
    )
    return [outbox_item(row) for row in rows]


def outbox_item_by_id(conn: Connection, item_id: str) -> OutboxItem | None:
    row = (
        dbapi(conn)
        .execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (item_id,))
        .fetchone()
    )
    return outbox_item(row) if row is not None else None


def next_due_ms(conn: Connection) -> int | None:
    """When the next attempt is due: a queued message's time, or a lease running out."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT MIN(CASE WHEN state = ? THEN next_attempt_at "
            "ELSE lease_expires_at END) FROM outbox WHERE state IN (?, ?)",
            (OutboxState.QUEUED, OutboxState.QUEUED, OutboxState.SENDING),
        )
        .fetchone()
    )
    return int(row[0]) if row and row[0] is not None else None


def requeue_if_waiting(conn: Connection, item_id: str, now_ms: int) -> None:
    """Queue a failed or queued message for ``now_ms``; one claimed since is left alone."""
    dbapi(conn).execute(
        "UPDATE outbox SET state = ?, next_attempt_at = ?, finished_at = NULL "
        "WHERE id = ? AND state IN (?, ?)",
        (OutboxState.QUEUED, now_ms, item_id, OutboxState.FAILED, OutboxState.QUEUED),
    )


def mark_sent_earlier(conn: Connection, item_id: str, answer: str, at_ms: int) -> None:
    """Delivered at ``at_ms``, one attempt, no error."""
    dbapi(conn).execute(
        "UPDATE outbox SET state = ?, attempts = 1, answer = ?, error = '', "
        "finished_at = ?, next_attempt_at = ? WHERE id = ?",
        (OutboxState.SENT, answer, at_ms, at_ms, item_id),
    )


def latest_statuspage_remote_id(conn: Connection, incident_id: str) -> str | None:
    """The status page incident this one's earlier notices opened, so updates go to it."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT remote_id FROM outbox WHERE incident_id = ? AND channel = ? "
            "AND remote_id IS NOT NULL ORDER BY created_at DESC LIMIT 1",
            (incident_id, Channel.STATUSPAGE.value),
        )
        .fetchone()
    )
    return row[0] if row else None


def claim_next(
    conn: Connection, now_ms: int, owner: str, expires_ms: int, skip: Sequence[str]
) -> OutboxItem | None:
    """Inside the caller's write transaction: take the oldest due message for ``owner``
    until ``expires_ms``; the claimed item as stored after the claim, or None."""
    db = dbapi(conn)
    placeholders = ", ".join("?" for _ in skip)
    not_skipped = f"AND id NOT IN ({placeholders}) " if skip else ""
    row = db.execute(
        "SELECT id FROM outbox WHERE ((state = ? AND next_attempt_at <= ?) "
        "OR (state = ? AND COALESCE(lease_expires_at, 0) <= ?)) "
        f"{not_skipped}ORDER BY created_at, id LIMIT 1",
        (OutboxState.QUEUED, now_ms, OutboxState.SENDING, now_ms, *skip),
    ).fetchone()
    if row is None:
        return None
    db.execute(
        "UPDATE outbox SET state = ?, attempts = attempts + 1, lease_owner = ?, "
        "lease_expires_at = ? WHERE id = ?",
        (OutboxState.SENDING, owner, expires_ms, row[0]),
    )
    return outbox_item_by_id(conn, row[0])


def released_for_retry(conn: Connection, item_id: str, owner: str, error: str, at_ms: int) -> bool:
    """Queue it again for ``at_ms`` and drop the lease, only if ``owner`` still holds it."""
    return _released(
        conn,
        item_id,
        owner,
        "state = ?, error = ?, next_attempt_at = ?",
        (OutboxState.QUEUED, error, at_ms),
    )


def released_as_failed(conn: Connection, item_id: str, owner: str, error: str, at_ms: int) -> bool:
    """Mark it failed and drop the lease, only if ``owner`` still holds it."""
    return _released(
        conn,
        item_id,
        owner,
        "state = ?, error = ?, finished_at = ?",
        (OutboxState.FAILED, error, at_ms),
    )


def _released(
    conn: Connection, item_id: str, owner: str, assignments: str, params: Sequence[Any]
) -> bool:
    cursor = dbapi(conn).execute(
        f"UPDATE outbox SET {assignments}, lease_owner = NULL, lease_expires_at = NULL "
        "WHERE id = ? AND state = ? AND lease_owner = ?",
        (*params, item_id, OutboxState.SENDING, owner),
    )
    return bool(cursor.rowcount)


def marked_delivered(
    conn: Connection, item_id: str, answer: str, at_ms: int, remote_id: str | None
) -> bool:
    """Mark it sent; False if it was marked sent already (by another deliverer)."""
    cursor = dbapi(conn).execute(
        "UPDATE outbox SET state = ?, answer = ?, error = '', finished_at = ?, "
        "remote_id = COALESCE(?, remote_id), lease_owner = NULL, lease_expires_at = NULL "
        "WHERE id = ? AND state != ?",
        (OutboxState.SENT, answer, at_ms, remote_id, item_id, OutboxState.SENT),
    )
    return bool(cursor.rowcount)


def sent_audiences(conn: Connection, incident_id: str) -> list[str]:
    """The audience of every message of the incident that was sent, one per message."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT audience FROM outbox WHERE incident_id = ? AND state = ?",
            (incident_id, OutboxState.SENT),
        )
        .fetchall()
    )
    return [row[0] for row in rows]
