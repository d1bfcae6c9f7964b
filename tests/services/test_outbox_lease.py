"""Outbox leases: an owner id unique per deliverer, a duration of ten channel timeouts but at
least five minutes, and the expiry in the row's milliseconds."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from commander.services.outbox_lease import (
    LEASE_MIN,
    Lease,
    lease_duration,
    lease_expiry_ms,
    new_owner,
)


def test_the_owner_names_host_and_process_and_differs_per_call() -> None:
    owner = new_owner()
    host, pid, tail = owner.rsplit(":", 2)
    assert host == socket.gethostname() and pid == str(os.getpid())
    assert len(tail) == 8 and int(tail, 16) >= 0
    assert new_owner() != owner


def test_the_duration_spans_ten_timeouts_but_never_under_five_minutes() -> None:
    assert timedelta(minutes=5) == LEASE_MIN
    assert lease_duration(0) == LEASE_MIN
    assert lease_duration(10) == LEASE_MIN  # 100 s: still five minutes
    assert lease_duration(30) == LEASE_MIN  # exactly 300 s
    assert lease_duration(45) == timedelta(seconds=450)
    assert lease_duration(0.5 * 120) == timedelta(minutes=10)


def test_the_expiry_is_the_duration_in_milliseconds_after_now() -> None:
    lease = Lease("host:1:abcd1234", timedelta(minutes=5))
    assert lease_expiry_ms(lease, 1_000) == 301_000
    assert lease_expiry_ms(Lease("x", timedelta(seconds=1.5)), 0) == 1_500
