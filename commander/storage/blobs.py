"""The blob store: attached files by SHA-256, and the ``attachment`` rows entry ops make.

Blobs are content, not derived from ops: the op carries the digest (so the chain covers the
file), the ``blob`` table the bytes. A blob is written in the same transaction as the op
that references it (locally) or the pulled op (sync), so an applied reference never points
at nothing by this workspace's own doing; ``verify`` checks every one against its digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from commander.core.attachments import AttachmentRef, ref_of
from commander.core.ops import Op
from commander.storage.database import dbapi


@dataclass(frozen=True)
class StoredAttachment:
    """An entry's file as the timeline, the report and the CLI list it."""

    entry_id: str
    incident_id: str
    ref: AttachmentRef


def put(conn: Connection, sha256: str, data: bytes) -> None:
    """Store ``data`` under its digest (the caller computed and checked it); once per file."""
    dbapi(conn).execute(
        "INSERT OR IGNORE INTO blob(sha256, size, data) VALUES (?, ?, ?)",
        (sha256, len(data), data),
    )


def get(conn: Connection, sha256: str) -> bytes | None:
    row = dbapi(conn).execute("SELECT data FROM blob WHERE sha256 = ?", (sha256,)).fetchone()
    return bytes(row[0]) if row else None


def present(conn: Connection, digests: Iterable[str]) -> set[str]:
    """Which of ``digests`` this workspace holds."""
    wanted = sorted(set(digests))
    found: set[str] = set()
    raw = dbapi(conn)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in raw.execute(f"SELECT sha256 FROM blob WHERE sha256 IN ({marks})", chunk)
        )
    return found


def apply_attachment(conn: Connection, op: Op) -> None:
    """Materialize the file reference of an entry create op (``oplog`` calls this)."""
    ref = ref_of(op.value)
    if ref is None:
        return
    dbapi(conn).execute(
        "INSERT OR REPLACE INTO attachment(entry_id, incident_id, sha256, name, media_type, size) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (op.entity_id, op.incident_id, ref.sha256, ref.name, ref.media_type, ref.size),
    )


def incident_total(conn: Connection, incident_id: str) -> int:
    """Bytes of the distinct files an incident holds (one file attached twice counts once)."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT sha256, size FROM attachment "
            "WHERE incident_id = ?)",
            (incident_id,),
        )
        .fetchone()
    )
    return int(row[0]) if row else 0


def for_incident(conn: Connection, incident_id: str) -> list[StoredAttachment]:
    rows = dbapi(conn).execute(
        "SELECT a.entry_id, a.incident_id, a.sha256, a.name, a.media_type, a.size "
        "FROM attachment a JOIN entry e ON e.id = a.entry_id "
        "WHERE a.incident_id = ? ORDER BY e.occurred_at, e.hlc",
        (incident_id,),
    )
    return [_stored(row) for row in rows.fetchall()]


def of_entry(conn: Connection, entry_id: str) -> StoredAttachment | None:
    row = (
        dbapi(conn)
        .execute(
            "SELECT entry_id, incident_id, sha256, name, media_type, size FROM attachment "
            "WHERE entry_id = ?",
            (entry_id,),
        )
        .fetchone()
    )
    return _stored(row) if row else None


def by_digest(conn: Connection, sha256: str) -> StoredAttachment | None:
    """Any entry carrying the file ``sha256`` (its name and type), or None."""
    row = (
        dbapi(conn)
        .execute(
            "SELECT entry_id, incident_id, sha256, name, media_type, size FROM attachment "
            "WHERE sha256 = ? ORDER BY entry_id LIMIT 1",
            (sha256,),
        )
        .fetchone()
    )
    return _stored(row) if row else None


def all_references(conn: Connection) -> list[StoredAttachment]:
    rows = dbapi(conn).execute(
        "SELECT entry_id, incident_id, sha256, name, media_type, size FROM attachment "
        "ORDER BY incident_id, entry_id"
    )
    return [_stored(row) for row in rows.fetchall()]


def _stored(row: tuple[str, str, str, str, str, int]) -> StoredAttachment:
    entry_id, incident_id, sha, name, media, size = row
    return StoredAttachment(entry_id, incident_id, AttachmentRef(sha, name, media, int(size)))
