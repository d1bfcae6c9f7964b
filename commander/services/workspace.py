"""The open workspace: engine, node id, clock and author, handed to every service.

One user action is one transaction (``write``), so an action either happened completely or
not at all, and a SIGKILL right after it returns cannot take it back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from commander.core.clock import Clock, ScaledClock, SystemClock
from commander.core.errors import DamagedWorkspaceError, WorkspaceError
from commander.core.ops import Op
from commander.core.signing import Ed25519Signer
from commander.integrations.node_keys import NodeKeyInfo, NodeKeys
from commander.storage import apply_keys, exercise_mark, oplog
from commander.storage.oplog import OpDraft
from commander.storage.workspace_file import (
    DB_FILENAME,
    SqliteDatabaseError,
    SqliteOperationalError,
    open_engine,
)


class Workspace:
    """A local workspace on disk.

    Args:
        data_dir: the folder holding ``workspace.sqlite3``.
        author: written on every op this workspace makes.
        clock: the one source of time (a ``FakeClock`` in tests).
        zone: the user's time zone, for display and ``HH:MM`` input.
    """

    def __init__(
        self, engine: Engine, data_dir: Path, *, author: str, clock: Clock, zone: tzinfo
    ) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.author = author
        self.clock: Clock = clock
        self.zone = zone
        self._writer = engine.execution_options(write=True)
        self._units = threading.local()
        self._signer: tuple[Ed25519Signer, NodeKeyInfo] | None = None
        self._signer_lock = threading.Lock()
        with self.write() as conn:
            self.node_id = oplog.ensure_node_id(conn)
            self.exercise = exercise_mark.read_mark(conn)
        if self.exercise is not None:  # an exercise runs on its own, faster clock
            mark = self.exercise
            self.clock = ScaledClock(clock, mark.started_at, mark.speed, mark.ended_at)

    @classmethod
    def open(
        cls, data_dir: Path, *, author: str, clock: Clock | None = None, zone: tzinfo | None = None
    ) -> Workspace:
        from datetime import UTC

        engine = open_engine(data_dir)
        return cls(
            engine, Path(data_dir), author=author, clock=clock or SystemClock(), zone=zone or UTC
        )

    @property
    def path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @contextmanager
    def read(self) -> Iterator[Connection]:
        if self._open_unit() is not None:
            yield self._open_unit()  # type: ignore[misc]
            return
        with _translated(self.path), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE``), committed when the block ends.

        Inside ``unit_of_work`` it joins that transaction instead of opening its own.
        """
        unit = self._open_unit()
        if unit is not None:
            yield unit
            return
        with _translated(self.path), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction spanning several service calls on this thread (a scripted story,
        an import): all of it is committed, or none of it."""
        if self._open_unit() is not None:
            yield self._open_unit()  # type: ignore[misc]
            return
        with self.write() as conn:
            self._units.conn = conn
            try:
                yield conn
            finally:
                self._units.conn = None

    def _open_unit(self) -> Connection | None:
        return getattr(self._units, "conn", None)

    def append(
        self, conn: Connection, drafts: Sequence[OpDraft], seqs: list[int] | None = None
    ) -> list[Op]:
        """Append ``drafts`` as this node's ops; ``seqs`` receives their sequence numbers."""
        return oplog.append(
            conn,
            drafts,
            node_id=self.node_id,
            author=self.author,
            clock=self.clock,
            signer=self.signing_key()[0],
            seqs=seqs,
        )

    def signer(self) -> Ed25519Signer:
        """This node's signing key alone (what the sync engine signs its stamp ops with)."""
        return self.signing_key()[0]

    def signing_key(self) -> tuple[Ed25519Signer, NodeKeyInfo]:
        """This node's signing key and where it is kept; made on first use.

        Loaded lazily because a keyring can block: the first write runs on a worker.
        """
        with self._signer_lock:
            if self._signer is None:
                self._signer = self._load_signer()
            return self._signer

    def _load_signer(self) -> tuple[Ed25519Signer, NodeKeyInfo]:
        """The key, checked against the one this node pinned: a lost or swapped key must
        never sign (every replica would quarantine what it signed)."""
        keys = NodeKeys(self.data_dir)
        with self.read() as conn:
            pinned = apply_keys.pinned_keys(conn).get(self.node_id)
        found = keys.load(self.node_id) if pinned else keys.load_or_create(self.node_id)
        if found is None:
            raise WorkspaceError(
                f"This node's signing key is missing (neither in the system keyring nor in "
                f"{keys.key_file(self.node_id)}); restore it to write again. Nothing was written."
            )
        if pinned and found[0].public_key != pinned:
            raise WorkspaceError(
                f"This node's signing key in {found[1].where} is not the key it introduced; "
                "restore the original to write again. Nothing was written."
            )
        return found

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Turn the database's failures into a sentence about the workspace."""
    try:
        yield
    except (OperationalError, SqliteOperationalError) as exc:
        text = str(getattr(exc, "orig", exc))
        if "readonly" in text or "read-only" in text:
            raise WorkspaceError(f"{path} is read-only; nothing was written.") from exc
        if "locked" in text or "busy" in text:
            raise WorkspaceError(
                f"{path} is busy in another process; try again in a moment."
            ) from exc
        if "disk" in text and "full" in text:
            raise WorkspaceError(f"The disk holding {path} is full; nothing was written.") from exc
        raise WorkspaceError(f"The workspace {path} failed: {text}") from exc
    except (DatabaseError, SqliteDatabaseError) as exc:
        text = str(getattr(exc, "orig", exc))
        raise DamagedWorkspaceError(
            f"The workspace {path} is damaged ({text}); 'commander db check' says what is "
            "wrong and 'commander db recover' saves what can be read.",
            (text,),
        ) from exc
