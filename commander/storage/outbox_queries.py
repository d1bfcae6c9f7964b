"""The local ``outbox`` table: queueing, listing, claiming and settling messages.

Every statement on the outbox lives here; ``services.outbox`` decides when each runs. A claim
and a release are compare-and-sets inside the caller's ``BEGIN IMMEDIATE`` transaction (see
``services.outbox_lease``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, insert, or_, select, update

from commander.core.channels import Channel
from commander.core.outbox import OutboxItem, OutboxState, outbox_item
from commander.storage.tables import incident_table as incident
from commander.storage.tables import outbox_table as outbox

_o = outbox.c
# The order ``core.outbox.outbox_item`` reads a row in.
OUTBOX_COLUMNS = (
    _o.id, _o.incident_id, _o.template_key, _o.audience, _o.channel, _o.subject, _o.body,
    _o.payload, _o.state, _o.attempts, _o.created_at, _o.next_attempt_at, _o.finished_at,
    _o.answer, _o.error, _o.remote_id, _o.lease_owner, _o.lease_expires_at,
)  # fmt: skip


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
    conn.execute(
        insert(outbox).values(
            id=item_id,
            incident_id=incident_id,
            template_key=template_key,
            audience=audience,
            channel=channel,
            subject=subject,
            body=body,
            payload=json.dumps(payload, ensure_ascii=False),
            state=OutboxState.QUEUED,
            attempts=0,
            created_at=now_ms,
            next_attempt_at=now_ms,
            finished_at=None,
            answer="",
            error="",
            remote_id=remote_id,
            lease_owner=None,
            lease_expires_at=None,
        )
    )


def paged_resolved_incident_ids(conn: Connection, *, resolved_statuses: Sequence[str]) -> list[str]:
    """Incidents paged from here through PagerDuty, now in ``resolved_statuses`` (two), whose
    page no resolve has followed yet."""
    first, second = resolved_statuses
    page, later = outbox.alias("o"), outbox.alias("r")
    resolve_followed = exists().where(
        later.c.incident_id == page.c.incident_id,
        later.c.channel == Channel.PAGERDUTY.value,
        later.c.created_at >= page.c.created_at,
        func.json_extract(later.c.payload, "$.event_action") == "resolve",
    )
    query = (
        select(page.c.incident_id)
        .distinct()
        .join(incident, incident.c.id == page.c.incident_id)
        .where(
            page.c.channel == Channel.PAGERDUTY.value,
            page.c.state == OutboxState.SENT,
            incident.c.status.in_((first, second)),
            func.json_extract(page.c.payload, "$.event_action") == "trigger",
            ~resolve_followed,
        )
    )
    return list(conn.scalars(query))


def outbox_items(conn: Connection, incident_id: str | None = None) -> list[OutboxItem]:
    """Newest first; every message of ``incident_id`` or of all incidents."""
    query = select(*OUTBOX_COLUMNS).order_by(_o.created_at.desc(), _o.id.desc())
    if incident_id:
        query = query.where(_o.incident_id == incident_id)
    return [outbox_item(row) for row in conn.execute(query)]


def outbox_item_by_id(conn: Connection, item_id: str) -> OutboxItem | None:
    row = conn.execute(select(*OUTBOX_COLUMNS).where(_o.id == item_id)).first()
    return outbox_item(row) if row is not None else None


def next_due_ms(conn: Connection) -> int | None:
    """When the next attempt is due: a queued message's time, or a lease running out."""
    due = case((_o.state == OutboxState.QUEUED, _o.next_attempt_at), else_=_o.lease_expires_at)
    first = conn.scalar(
        select(func.min(due)).where(_o.state.in_((OutboxState.QUEUED, OutboxState.SENDING)))
    )
    return int(first) if first is not None else None


def requeue_if_waiting(conn: Connection, item_id: str, now_ms: int) -> None:
    """Queue a failed or queued message for ``now_ms``; one claimed since is left alone."""
    conn.execute(
        update(outbox)
        .where(_o.id == item_id, _o.state.in_((OutboxState.FAILED, OutboxState.QUEUED)))
        .values(state=OutboxState.QUEUED, next_attempt_at=now_ms, finished_at=None)
    )


def mark_sent_earlier(conn: Connection, item_id: str, answer: str, at_ms: int) -> None:
    """Delivered at ``at_ms``, one attempt, no error."""
    conn.execute(
        update(outbox)
        .where(_o.id == item_id)
        .values(
            state=OutboxState.SENT,
            attempts=1,
            answer=answer,
            error="",
            finished_at=at_ms,
            next_attempt_at=at_ms,
        )
    )


def latest_statuspage_remote_id(conn: Connection, incident_id: str) -> str | None:
    """The status page incident this one's earlier notices opened, so updates go to it."""
    query = (
        select(_o.remote_id)
        .where(
            _o.incident_id == incident_id,
            _o.channel == Channel.STATUSPAGE.value,
            _o.remote_id.is_not(None),
        )
        .order_by(_o.created_at.desc())
        .limit(1)
    )
    remote_id: str | None = conn.scalar(query)
    return remote_id


def claim_next(
    conn: Connection, now_ms: int, owner: str, expires_ms: int, skip: Sequence[str]
) -> OutboxItem | None:
    """Inside the caller's write transaction: take the oldest due message for ``owner``
    until ``expires_ms``; the claimed item as stored after the claim, or None."""
    due = or_(
        and_(_o.state == OutboxState.QUEUED, _o.next_attempt_at <= now_ms),
        and_(_o.state == OutboxState.SENDING, func.coalesce(_o.lease_expires_at, 0) <= now_ms),
    )
    query = select(_o.id).where(due).order_by(_o.created_at, _o.id).limit(1)
    if skip:
        query = query.where(_o.id.not_in(list(skip)))
    item_id = conn.scalar(query)
    if item_id is None:
        return None
    conn.execute(
        update(outbox)
        .where(_o.id == item_id)
        .values(
            state=OutboxState.SENDING,
            attempts=_o.attempts + 1,
            lease_owner=owner,
            lease_expires_at=expires_ms,
        )
    )
    return outbox_item_by_id(conn, item_id)


def released_for_retry(conn: Connection, item_id: str, owner: str, error: str, at_ms: int) -> bool:
    """Queue it again for ``at_ms`` and drop the lease, only if ``owner`` still holds it."""
    return _released(
        conn,
        item_id,
        owner,
        {"state": OutboxState.QUEUED, "error": error, "next_attempt_at": at_ms},
    )


def released_as_failed(conn: Connection, item_id: str, owner: str, error: str, at_ms: int) -> bool:
    """Mark it failed and drop the lease, only if ``owner`` still holds it."""
    return _released(
        conn,
        item_id,
        owner,
        {"state": OutboxState.FAILED, "error": error, "finished_at": at_ms},
    )


def _released(conn: Connection, item_id: str, owner: str, values: dict[str, Any]) -> bool:
    result = conn.execute(
        update(outbox)
        .where(_o.id == item_id, _o.state == OutboxState.SENDING, _o.lease_owner == owner)
        .values(**values, lease_owner=None, lease_expires_at=None)
    )
    return bool(result.rowcount)


def marked_delivered(
    conn: Connection, item_id: str, answer: str, at_ms: int, remote_id: str | None
) -> bool:
    """Mark it sent; False if it was marked sent already (by another deliverer)."""
    result = conn.execute(
        update(outbox)
        .where(_o.id == item_id, _o.state != OutboxState.SENT)
        .values(
            state=OutboxState.SENT,
            answer=answer,
            error="",
            finished_at=at_ms,
            remote_id=func.coalesce(remote_id, _o.remote_id),
            lease_owner=None,
            lease_expires_at=None,
        )
    )
    return bool(result.rowcount)


def sent_audiences(conn: Connection, incident_id: str) -> list[str]:
    """The audience of every message of the incident that was sent, one per message."""
    query = select(_o.audience).where(_o.incident_id == incident_id, _o.state == OutboxState.SENT)
    return list(conn.scalars(query))
