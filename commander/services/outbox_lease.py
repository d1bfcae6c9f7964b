"""Leases on outbox messages: each message is sent by one process at a time.

The window and ``commander outbox --deliver`` (or two of those) may deliver the same workspace.
Claiming a message writes its sender's id and an expiry into the row inside one ``BEGIN
IMMEDIATE`` transaction, so SQLite's write lock makes the claim a compare-and-set across
processes: of two deliverers asking at once, one gets the message and the other sees it taken.
A message whose sender died stays "sending" until its lease runs out, then any deliverer may
take it again — never earlier, since a slow sender and a dead one look the same from outside.

A lease is local machine state, not an op: only the processes sharing this SQLite file can
deliver its outbox (other laptops never see its rows), and a lease needs a linearizable
compare-and-set that the eventually consistent op log cannot give.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection

from commander.storage.database import dbapi

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"

LEASE_MIN = timedelta(minutes=5)
LEASE_TIMEOUTS = 10  # a lease spans this many channel timeouts (connect, TLS, login, send…)


@dataclass(frozen=True)
class Lease:
    """Who claims (``owner``, unique per deliverer) and for how long (``duration``)."""

    owner: str
    duration: timedelta


def new_owner() -> str:
    """``host:pid:random``: says which process holds a message, unique even if a pid is reused."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"


def lease_duration(timeout_seconds: float) -> timedelta:
    """Long enough for one send at the channel timeout, with room: at least 5 minutes."""
    return max(LEASE_MIN, timedelta(seconds=timeout_seconds * LEASE_TIMEOUTS))


def claim_next(
    conn: Connection, columns: str, now_ms: int, lease: Lease, skip: Sequence[str]
) -> Any | None:
    """Inside the caller's write transaction: take the oldest due message for ``lease``.

    Returns the claimed row (``columns``, as stored after the claim) or None.
    """
    db = dbapi(conn)
    placeholders = ", ".join("?" for _ in skip)
    not_skipped = f"AND id NOT IN ({placeholders}) " if skip else ""
    row = db.execute(
        "SELECT id FROM outbox WHERE ((state = ? AND next_attempt_at <= ?) "
        "OR (state = ? AND COALESCE(lease_expires_at, 0) <= ?)) "
        f"{not_skipped}ORDER BY created_at, id LIMIT 1",
        (QUEUED, now_ms, SENDING, now_ms, *skip),
    ).fetchone()
    if row is None:
        return None
    expires = now_ms + int(lease.duration.total_seconds() * 1000)
    db.execute(
        "UPDATE outbox SET state = ?, attempts = attempts + 1, lease_owner = ?, "
        "lease_expires_at = ? WHERE id = ?",
        (SENDING, lease.owner, expires, row[0]),
    )
    return db.execute(f"SELECT {columns} FROM outbox WHERE id = ?", (row[0],)).fetchone()


def released(
    conn: Connection, item_id: str, owner: str, assignments: str, params: Sequence[Any]
) -> bool:
    """Apply ``assignments`` and drop the lease, only if ``owner`` still holds it."""
    cursor = dbapi(conn).execute(
        f"UPDATE outbox SET {assignments}, lease_owner = NULL, lease_expires_at = NULL "
        "WHERE id = ? AND state = ? AND lease_owner = ?",
        (*params, item_id, SENDING, owner),
    )
    return bool(cursor.rowcount)


def delivered(
    conn: Connection, item_id: str, answer: str, at_ms: int, remote_id: str | None
) -> bool:
    """Mark it sent; False if it was marked sent already (by another deliverer)."""
    cursor = dbapi(conn).execute(
        "UPDATE outbox SET state = ?, answer = ?, error = '', finished_at = ?, "
        "remote_id = COALESCE(?, remote_id), lease_owner = NULL, lease_expires_at = NULL "
        "WHERE id = ? AND state != ?",
        (SENT, answer, at_ms, remote_id, item_id, SENT),
    )
    return bool(cursor.rowcount)
