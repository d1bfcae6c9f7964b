"""The blob store: attached files by SHA-256, and the ``attachment`` rows entry ops make.

Blobs are content, not derived from ops: the op carries the digest (so the chain covers the
file), the ``blob`` table the bytes. A blob is written in the same transaction as the op
that references it (locally) or the pulled op (sync), so an applied reference never points
at nothing by this workspace's own doing; ``verify`` checks every one against its digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.sqlite import insert

from commander.core.attachments import AttachmentRef, ref_of
from commander.core.ops import Op
from commander.storage.tables import attachment_table as attachment
from commander.storage.tables import blob_table as blob
from commander.storage.tables import entry_table as entry

_at = attachment.c
_STORED = select(_at.entry_id, _at.incident_id, _at.sha256, _at.name, _at.media_type, _at.size)


@dataclass(frozen=True)
class StoredAttachment:
    """An entry's file as the timeline, the report and the CLI list it."""

    entry_id: str
    incident_id: str
    ref: AttachmentRef


def put(conn: Connection, sha256: str, data: bytes) -> None:
    """Store ``data`` under its digest (the caller computed and checked it); once per file."""
    conn.execute(
        insert(blob).values(sha256=sha256, size=len(data), data=data).on_conflict_do_nothing()
    )


def get(conn: Connection, sha256: str) -> bytes | None:
    data = conn.scalar(select(blob.c.data).where(blob.c.sha256 == sha256))
    return bytes(data) if data is not None else None


def present(conn: Connection, digests: Iterable[str]) -> set[str]:
    """Which of ``digests`` this workspace holds."""
    wanted = sorted(set(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(conn.scalars(select(blob.c.sha256).where(blob.c.sha256.in_(chunk))))
    return found


def apply_attachment(conn: Connection, op: Op) -> None:
    """Materialize the file reference of an entry create op (``oplog`` calls this)."""
    ref = ref_of(op.value)
    if ref is None:
        return
    conn.execute(
        insert(attachment)
        .prefix_with("OR REPLACE")
        .values(
            entry_id=op.entity_id,
            incident_id=op.incident_id,
            sha256=ref.sha256,
            name=ref.name,
            media_type=ref.media_type,
            size=ref.size,
        )
    )


def incident_total(conn: Connection, incident_id: str) -> int:
    """Bytes of the distinct files an incident holds (one file attached twice counts once)."""
    files = select(_at.sha256, _at.size).distinct().where(_at.incident_id == incident_id).subquery()
    total = conn.scalar(select(func.coalesce(func.sum(files.c.size), 0)))
    return int(total or 0)


def for_incident(conn: Connection, incident_id: str) -> list[StoredAttachment]:
    rows = conn.execute(
        _STORED.join(entry, entry.c.id == _at.entry_id)
        .where(_at.incident_id == incident_id)
        .order_by(entry.c.occurred_at, entry.c.hlc)
    )
    return [_stored(tuple(row)) for row in rows]


def of_entry(conn: Connection, entry_id: str) -> StoredAttachment | None:
    row = conn.execute(_STORED.where(_at.entry_id == entry_id)).first()
    return _stored(tuple(row)) if row else None


def by_digest(conn: Connection, sha256: str) -> StoredAttachment | None:
    """Any entry carrying the file ``sha256`` (its name and type), or None."""
    row = conn.execute(_STORED.where(_at.sha256 == sha256).order_by(_at.entry_id).limit(1)).first()
    return _stored(tuple(row)) if row else None


def all_references(conn: Connection) -> list[StoredAttachment]:
    rows = conn.execute(_STORED.order_by(_at.incident_id, _at.entry_id))
    return [_stored(tuple(row)) for row in rows]


def _stored(row: tuple[str, str, str, str, str, int]) -> StoredAttachment:
    entry_id, incident_id, sha, name, media, size = row
    return StoredAttachment(entry_id, incident_id, AttachmentRef(sha, name, media, int(size)))
