"""One sync cycle: push what waits, pull what is new, each batch one transaction.

Push: this node's unacknowledged ops, oldest first, in batches; one server transaction per
batch through ``commander.push`` (serialized, checked, idempotent); the local push cursor
moves only after the server committed. Then the other nodes' ops this workspace got from
peers and the server lacks are relayed (``relay``: signed by their node, checked by the
server). A crash between the two resends the batch, and the
server skips what it has. If the server lost this node's latest ops (an admin deleted them),
the push starts again from the head the server has. Pull: ``seq > cursor ORDER BY seq``,
each op verified (hash, chain, signature, revocation; ``checks``) before it is applied, the
failures quarantined, and the cursor moved past all of them in one local transaction.

A refused push does not stop the pull: the refusal is reported and everyone else's changes
still arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from commander.core.clock import Clock, to_ms
from commander.core.ops import Op
from commander.core.signing import Signer
from commander.storage import blobs, exercise_mark, oplog, search_index
from commander.storage.workspace_file import SqliteOperationalError, flush_wal, replayable_write
from commander.sync import blob_sync, checks, local, relay
from commander.sync.errors import EXERCISE_REFUSAL, ExerciseRefused
from commander.sync.push_sql import REFUSED_SQLSTATES
from commander.sync.results import PullResult, PushResult, SyncResult
from commander.sync.schema import check_schema
from commander.sync.server import translate

log = logging.getLogger(__name__)

__all__ = ["PullResult", "PushResult", "SyncEngine", "SyncResult"]

PUSH_BATCH = 5000
PULL_BATCH = 5000
SKEW_WARN_MS = 5_000
_PUSH_SQL = "SELECT commander.push(%s::json, %s::bigint)"
_PULL_SQL = (
    f"SELECT seq, effective_hlc, {local.OP_COLUMNS} FROM commander.op "
    "WHERE seq > %s ORDER BY seq LIMIT %s"
)
_NODE_OPS_AFTER_SQL = (
    f"SELECT seq, effective_hlc, {local.OP_COLUMNS} FROM commander.op "
    "WHERE node_id = %s AND seq > %s ORDER BY seq"
)
_REVOKED_SQL = (
    "SELECT node_id, revoked_after_seq, "
    "to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "FROM commander.node_head WHERE revoked_at IS NOT NULL"
)
_SERVER_HEAD_SQL = "SELECT head_hash FROM commander.node_head WHERE node_id = %s"


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
        signer: Callable[[], Signer],
        push_batch: int = PUSH_BATCH,
        pull_batch: int = PULL_BATCH,
    ) -> None:
        """``signer`` gives this node's signing key (called on the sync thread, as a keyring
        can block): a pull may write a stamp op of this node's own (``local.adopt_clamps``)."""
        self._engine = engine
        self._signer = signer
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

    def problem_count(self) -> int:
        """Ops quarantined or marked untrusted: what the Sync problems view lists."""
        with self._engine.connect() as conn:
            return local.read_count(conn, "sync_problem")

    def check_allowed(self) -> None:
        """Refuse an exercise workspace before any connection is made (``ExerciseRefused``)."""
        with self._engine.connect() as conn:
            if exercise_mark.read_mark(conn) is not None:
                raise ExerciseRefused(EXERCISE_REFUSAL)

    def remember_url(self, redacted_url: str) -> None:
        self.check_allowed()
        with self._writer.begin() as conn:
            oplog.write_meta(conn, local.META_URL, redacted_url)

    # -- with the server ---------------------------------------------------------------------

    def prepare(self, pg: psycopg.Connection[Any]) -> None:
        """Check the server's schema and bind the cursors to it; apply unparked ops."""
        self.check_allowed()
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
        """Prepare, push everything waiting, pull everything new (even if the push was refused)."""
        self.prepare(pg)
        warnings: list[str] = []
        pushed = self.push(pg)
        if pushed.resent:
            warnings.append(
                f"the server had lost {pushed.resent} of this node's ops; they were pushed again"
            )
        if pushed.offset_ms is not None and abs(pushed.offset_ms) > SKEW_WARN_MS:
            warnings.append(skew_warning(self.node_id, pushed.offset_ms))
        pulled = self.pull(pg)
        if pulled.adopted:  # our own stamp ops, written while pulling: send them now
            again = self.push(pg)
            pushed.accepted += again.accepted
            pushed.skipped += again.skipped
            pushed.batches += again.batches
            pushed.relay.merge(again.relay)
        self.index_pulled()
        for node, author in sorted(pulled.clamped_nodes.items()):
            warnings.append(
                f"node {node} ({author}) stamped ops ahead of the server's clock; "
                "it re-stamped them at the server's time"
            )
        for text in warnings:
            log.warning("sync: %s", text)
        return SyncResult(pushed, pulled, self.pending()[0], warnings)

    def index_pulled(self) -> int:
        """Catch the search index up with what was applied, after the pull's transactions.

        Indexing costs as much per entry as the pull itself; done here, in short transactions
        of its own, a pull never holds the write lock for it (``storage.search_index``).
        """
        return search_index.catch_up_index(self._writer)

    def push(self, pg: psycopg.Connection[Any]) -> PushResult:
        """Push every waiting op of this node, then relay the other nodes' ops the server
        lacks (``relay``); a refusal of either is reported, and stops nothing else."""
        result = self._push_own(pg)
        result.relay = relay.relay(
            pg,
            self._engine,
            node_id=self.node_id,
            clock=self._clock,
            batch=self.push_batch,
            read_blob=self._read_blob,
        )
        return result

    def _push_own(self, pg: psycopg.Connection[Any]) -> PushResult:
        """Push every waiting op; a refusal ends the push with ``refused`` set (its reason)."""
        self.check_allowed()
        result = PushResult()
        repaired = False
        while True:
            with self._engine.connect() as conn:
                count, last_seq, batch = local.pending_batch(conn, self.node_id, self.push_batch)
                after = local.read_int(conn, local.META_PUSH_SEQ)
                files = blob_sync.pending_digests(conn, self.node_id, after, last_seq)
            if not count:
                return result
            params = (batch, to_ms(self._clock.now()))
            try:
                with pg.transaction():  # the files first: an op on the server has its file
                    blob_sync.upload(pg, files, self._read_blob)
                    found = pg.execute(_PUSH_SQL, params).fetchone()
            except psycopg.Error as exc:
                state = getattr(exc, "sqlstate", None)
                if state == "CM001" and not repaired:
                    repaired = True
                    resend = self._resend_lost(pg)
                    if resend:
                        result.resent += resend
                        continue
                if state in REFUSED_SQLSTATES:
                    result.refused = exc.diag.message_primary or str(exc)
                    log.error("sync: %s", result.refused)
                    return result
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

    def _read_blob(self, sha256: str) -> bytes | None:
        with self._engine.connect() as conn:
            return blobs.get(conn, sha256)

    def _resend_lost(self, pg: psycopg.Connection[Any]) -> int:
        """The server's head for this node is behind ours: push again from there.

        Returns how many acknowledged ops go again (0: the server's head is not an op of
        ours, so this is a real refusal).
        """
        try:
            row = pg.execute(_SERVER_HEAD_SQL, (self.node_id,)).fetchone()
            pg.rollback()
        except psycopg.Error as exc:
            raise translate(exc) from exc
        with self._writer.begin() as conn:
            acked = local.read_int(conn, local.META_PUSH_SEQ)
            from_seq = local.seq_of_hash(conn, self.node_id, row[0]) if row else 0
            if from_seq is None or from_seq >= acked:
                return 0
            lost = local.count_own_between(conn, self.node_id, from_seq, acked)
            oplog.write_meta(conn, local.META_PUSH_SEQ, str(from_seq))
        log.warning("sync: the server lost %d ops of this node; pushing them again", lost)
        return lost

    def pull(self, pg: psycopg.Connection[Any]) -> PullResult:
        """Pull, verify and apply everything new; failures are quarantined, never fatal."""
        self.check_allowed()
        result = PullResult()
        revoked = self._revocations(pg)
        while True:
            cursor = self.pulled_upto()
            try:
                rows = pg.execute(_PULL_SQL, (cursor, self.pull_batch)).fetchall()
                pg.rollback()  # end the read transaction: no idle-in-transaction
            except psycopg.Error as exc:
                raise translate(exc) from exc
            if not rows:
                return result
            files = self._fetch_files(pg, rows)
            try:
                batch = self._apply_batch(cursor, rows, revoked, guarded=False, files=files)
            except (SqliteOperationalError, OperationalError):
                raise  # the workspace's trouble (locked, disk full), not an op's
            except Exception:  # an op the apply code cannot use: redo, one savepoint per op
                batch = self._apply_batch(cursor, rows, revoked, guarded=True, files=files)
            if batch is None:
                continue  # another process on this workspace pulled meanwhile
            result.add(batch)
            if len(rows) < self.pull_batch:
                return result

    def _apply_batch(
        self,
        cursor: int,
        rows: list[Any],
        revoked: dict[str, checks.Revocation],
        *,
        guarded: bool,
        files: dict[str, bytes],
    ) -> local.PullApplied | None:
        """Verify, apply and move the cursor in one local transaction (None: cursor moved)."""
        wall_ms = to_ms(self._clock.now())
        with replayable_write(self._writer) as conn:
            if local.read_int(conn, local.META_PULL_SEQ) != cursor:
                return None
            verified: dict[str, Op] = {}
            accepted, problems = checks.screen(
                conn, rows, revoked=revoked, wall_ms=wall_ms, verified=verified
            )
            accepted, missing = blob_sync.screen(conn, accepted, files, wall_ms=wall_ms)
            problems.extend(missing)
            batch = local.apply_pulled(
                conn,
                accepted,
                node_id=self.node_id,
                wall_ms=wall_ms,
                guarded=guarded,
                signer=self._signer,
                verified=verified,
            )
            oplog.write_meta(conn, local.META_PULL_SEQ, str(rows[-1][0]))
        if batch.adopted:  # this node's own stamp ops: durable before they are pushed
            flush_wal(self._writer)
        batch.quarantined[:0] = problems
        return batch

    def _fetch_files(self, pg: psycopg.Connection[Any], rows: list[Any]) -> dict[str, bytes]:
        """The files the pulled ops name that this workspace lacks (before the local write)."""
        wanted = blob_sync.digests_of(rows)
        if not wanted:
            return {}
        with self._engine.connect() as conn:
            held = blobs.present(conn, wanted)
        try:
            return blob_sync.fetch(pg, rows, held)
        except psycopg.Error as exc:
            raise translate(exc) from exc

    def _revocations(self, pg: psycopg.Connection[Any]) -> dict[str, checks.Revocation]:
        """The server's revocations; ops applied here after one are marked untrusted."""
        try:
            found = [
                checks.Revocation(node, int(after or 0), str(at))
                for node, after, at in pg.execute(_REVOKED_SQL).fetchall()
            ]
            pg.rollback()
        except psycopg.Error as exc:
            raise translate(exc) from exc
        if not found:
            return {}

        def rows_after(revocation: checks.Revocation) -> list[Any]:
            try:
                rows = pg.execute(
                    _NODE_OPS_AFTER_SQL, (revocation.node_id, revocation.after_seq)
                ).fetchall()
                pg.rollback()
            except psycopg.Error as exc:
                raise translate(exc) from exc
            return list(rows)

        with self._writer.begin() as conn:
            return checks.learn_revocations(conn, found, to_ms(self._clock.now()), rows_after)


def skew_warning(node_id: str, offset_ms: int) -> str:
    direction = "ahead of" if offset_ms > 0 else "behind"
    return (
        f"this computer's clock (node {node_id}) is {abs(offset_ms) / 1000:.1f} s {direction} "
        "the server's; ops stamped far ahead are ordered by the server's time"
    )
