"""Leases on outbox messages: each message is sent by one process at a time.

The window and ``commander outbox --deliver`` (or two of those) may deliver the same workspace.
Claiming a message writes its sender's id and an expiry into the row inside one ``BEGIN
IMMEDIATE`` transaction, so SQLite's write lock makes the claim a compare-and-set across
processes: of two deliverers asking at once, one gets the message and the other sees it taken.
A message whose sender died stays "sending" until its lease runs out, then any deliverer may
take it again — never earlier, since a slow sender and a dead one look the same from outside.

A lease is local machine state, not an op: only the processes sharing this SQLite file can
deliver its outbox (other laptops never see its rows), and a lease needs a linearizable
compare-and-set that the eventually consistent op log cannot give. The statements themselves
are in ``storage.outbox_queries``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

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


def lease_expiry_ms(lease: Lease, now_ms: int) -> int:
    """When a lease taken at ``now_ms`` runs out, in the outbox row's milliseconds."""
    return now_ms + int(lease.duration.total_seconds() * 1000)
