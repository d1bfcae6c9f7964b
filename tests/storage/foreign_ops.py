"""Ops of other nodes, made by hand, stored and applied the way a pull does (``oplog``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.ops import Entity, Field, Op
from commander.storage import oplog

WALL0 = 1_795_000_000_000  # 2026-11-18, before the suite's clock


def stamp(n: int, counter: int = 0) -> str:
    return f"{WALL0 + n:015d}.{counter:06d}"


def op(
    n: int,
    entity: str,
    entity_id: str,
    field: str,
    value: Any,
    *,
    node: str = "a",
    incident: str = "inc",
    op_id: str | None = None,
) -> Op:
    """Node ``node``'s op stamped ``n`` ms after ``WALL0``; its id ``{node}-{n}`` unless given."""
    return Op(
        op_id or f"{node}-{n}", node, stamp(n), incident, entity, entity_id, field, value,
        f"author-{node}",
    )  # fmt: skip


def entry(n: int, entry_id: str, event: str, *, node: str = "a", incident: str = "inc") -> Op:
    """A timeline entry's create op, occurring at its own stamp."""
    return op(
        n, Entity.ENTRY, entry_id, Field.CREATE,
        {"occurred_at": iso_of(n), "event": event, "kind": "note"},
        node=node, incident=incident, op_id=f"{node}-{n}-{entry_id}",
    )  # fmt: skip


def iso_of(n: int) -> str:
    return datetime.fromtimestamp((WALL0 + n) / 1000, UTC).isoformat().replace("+00:00", "Z")


def feed(conn: Connection, ops: Iterable[Op]) -> None:
    """Store and apply each op, in the order given (sync's per-op path)."""
    for each in ops:
        oplog.store(conn, each)
        oplog.apply(conn, each)


def rows(conn: Connection, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.exec_driver_sql(sql, args).fetchall()]


def ms(text: str) -> int:
    """Milliseconds since the epoch of an ISO time, as the tables store it."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


ORDERS_OF_FOUR = [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2), (2, 0, 3, 1), (3, 0, 1, 2)]
"""A few arrival orders of four ops: in order, reversed, and interleavings of both ends."""
