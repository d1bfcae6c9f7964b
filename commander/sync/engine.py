"""One sync cycle: push what waits, pull what is new, each batch one transaction.

Push: this node's unacknowledged ops, oldest first, in batches; one server transaction per
batch through ``commander.push`` (serialized, chain-checked, idempotent); the local push
cursor moves only after the server committed. A crash between the two resends the batch,
and the server skips what it has. Pull: ``seq > cursor ORDER BY seq``, applied and the cursor
moved in one local transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Engine

from commander.core.clock import Clock, to_ms
from commander.storage import oplog
from commander.sync import local
from commander.sync.errors import PushRefused
from commander.sync.schema import check_schema
from commander.sync.server import translate

log = logging.getLogger(__name__)

PUSH_BATCH = 5000
PULL_BATCH = 5000
SKEW_WARN_MS = 5_000
_PUSH_SQL = "SELECT commander.push(%s::json, %s::bigint)"
_PULL_SQL = (
    f"SELECT seq, effective_hlc, {local.OP_COLUMNS} FROM commander.op "
    "WHERE seq > %s ORDER BY seq LIMIT %s"
)


@dataclass
class PushResult:
    accepted: int = 0
    skipped: int = 0
    batches: int = 0
    offset_ms: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "skipped": self.skipped,
            "batches": self.batches,
            "clock_offset_ms": self.offset_ms,
        }


@dataclass
class PullResult:
    applied: int = 0
    duplicates: int = 0
    parked: int = 0
    restamped: int = 0
    adopted: bool = False
    batches: int = 0
    incident_ids: set[str] = field(default_factory=set)
    entry_ids: set[str] = field(default_factory=set)
    conflict_ids: dict[str, str] = field(default_factory=dict)  # entry id -> incident id
    clamped_nodes: dict[str, str] = field(default_factory=dict)

    def add(self, batch: local.PullApplied) -> None:
        self.applied += batch.applied
        self.duplicates += batch.duplicates
        self.parked += batch.parked
        self.restamped += batch.restamped
        self.adopted = self.adopted or batch.adopted
        self.batches += 1
        self.incident_ids |= batch.incident_ids
        self.entry_ids |= batch.entry_ids
        self.conflict_ids.update(batch.conflict_ids)
        self.clamped_nodes.update(batch.clamped_nodes)

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.restamped or self.parked)

    def to_json(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "already_present": self.duplicates,
            "parked": self.parked,
            "restamped": self.restamped,
            "conflicts": len(self.conflict_ids),
        }


@dataclass
class SyncResult:
    pushed: PushResult
    pulled: PullResult
    pending: int
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed.to_json(),
            "pulled": self.pulled.to_json(),
            "pending": self.pending,
            "warnings": self.warnings,
        }


class SyncEngine:
    """Push and pull for one workspace (its engine and node id).

    Args:
        engine: the workspace's SQLAlchemy engine (its pool is safe to use from a worker).
        node_id: this workspace's node id; only its own ops are pushed.
        clock: the wall clock, for HLC receive and the clock-offset measurement.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        node_id: str,
        clock: Clock,
        push_batch: int = PUSH_BATCH,
        pull_batch: int = PULL_BATCH,
    ) -> None:
        self._engine = engine
        self._writer = engine.execution_options(write=True)
        self.node_id = node_id
        self._clock = clock
        self.push_batch = push_batch
        self.pull_batch = pull_batch

    # -- local state -------------------------------------------------------------------------

    def pending(self) -> tuple[int, int | None]:
        """Ops waiting to be pushed, and the wall time (ms) of the oldest."""
        with self._engine.connect() as conn:
            return local.pending_count(conn, self.node_id)

    def local_head(self) -> int:
        with self._engine.connect() as conn:
            return local.local_head(conn, self.node_id)

    def pushed_upto(self) -> int:
        with self._engine.connect() as conn:
            return local.read_int(conn, local.META_PUSH_SEQ)

    def pulled_upto(self) -> int:
        with self._engine.connect() as conn:
            return local.read_int(conn, local.META_PULL_SEQ)

    def remember_url(self, redacted_url: str) -> None:
        with self._writer.begin() as conn:
            oplog.write_meta(conn, local.META_URL, redacted_url)

    # -- with the server ---------------------------------------------------------------------

    def prepare(self, pg: psycopg.Connection[Any]) -> None:
        """Check the server's schema and bind the cursors to it; apply unparked ops."""
        try:
            server_id = check_schema(pg)
            pg.rollback()
        except psycopg.Error as exc:
            raise translate(exc) from exc
        with self._writer.begin() as conn:
            if local.bind_server(conn, server_id):
                log.info("sync: new server %s; cursors start over", server_id)
            local.apply_unparked(conn)
            if local.upgrade_ordering(conn):
                log.info("sync: ordering stamps now come from each op's own node")

    def sync(self, pg: psycopg.Connection[Any]) -> SyncResult:
        """Prepare, push everything waiting, pull everything new."""
        self.prepare(pg)
        warnings: list[str] = []
        pushed = self.push(pg)
        if pushed.offset_ms is not None and abs(pushed.offset_ms) > SKEW_WARN_MS:
            warnings.append(skew_warning(self.node_id, pushed.offset_ms))
        pulled = self.pull(pg)
        if pulled.adopted:  # our own stamp ops, written while pulling: send them now
            again = self.push(pg)
            pushed.accepted += again.accepted
            pushed.skipped += again.skipped
            pushed.batches += again.batches
        for node, author in sorted(pulled.clamped_nodes.items()):
            warnings.append(
                f"node {node} ({author}) stamped ops ahead of the server's clock; "
                "it re-stamped them at the server's time"
            )
        for text in warnings:
            log.warning("sync: %s", text)
        return SyncResult(pushed, pulled, self.pending()[0], warnings)

    def push(self, pg: psycopg.Connection[Any]) -> PushResult:
        result = PushResult()
        while True:
            with self._engine.connect() as conn:
                count, last_seq, batch = local.pending_batch(conn, self.node_id, self.push_batch)
            if not count:
                return result
            params = (batch, to_ms(self._clock.now()))
            try:
                with pg.transaction():
                    found = pg.execute(_PUSH_SQL, params).fetchone()
            except psycopg.Error as exc:
                if getattr(exc, "sqlstate", None) in ("CM001", "CM002"):
                    message = exc.diag.message_primary or str(exc)
                    raise PushRefused(message) from exc
                raise translate(exc) from exc
            assert found is not None
            outcome = found[0]
            with self._writer.begin() as conn:  # acknowledged only after the server commit
                oplog.write_meta(conn, local.META_PUSH_SEQ, str(last_seq))
            result.accepted += int(outcome["accepted"])
            result.skipped += int(outcome["skipped"])
            result.offset_ms = int(outcome["offset_ms"])
            result.batches += 1
            if count < self.push_batch:
                return result

    def pull(self, pg: psycopg.Connection[Any]) -> PullResult:
        result = PullResult()
        while True:
            cursor = self.pulled_upto()
            try:
                rows = pg.execute(_PULL_SQL, (cursor, self.pull_batch)).fetchall()
                pg.rollback()  # end the read transaction: no idle-in-transaction
            except psycopg.Error as exc:
                raise translate(exc) from exc
            if not rows:
                return result
            with self._writer.begin() as conn:
                if local.read_int(conn, local.META_PULL_SEQ) != cursor:
                    continue  # another process on this workspace pulled meanwhile
                batch = local.apply_pulled(
                    conn, rows, node_id=self.node_id, wall_ms=to_ms(self._clock.now())
                )
            result.add(batch)
            if len(rows) < self.pull_batch:
                return result


def skew_warning(node_id: str, offset_ms: int) -> str:
    direction = "ahead of" if offset_ms > 0 else "behind"
    return (
        f"this computer's clock (node {node_id}) is {abs(offset_ms) / 1000:.1f} s {direction} "
        "the server's; ops stamped far ahead are ordered by the server's time"
    )
