"""Screenshots and files on the timeline: attach, read back, export beside a report.

Attaching is one user action and one transaction: the file goes into the blob store and the
entry op that names its SHA-256 into the op log together, so the timeline never shows a
file this workspace does not hold. Limits (per file, per incident) are checked here, before
anything is written, with one sentence each; nothing needs the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection

from commander.core import attachments as core
from commander.core.attachments import AttachmentRef
from commander.core.clock import iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.limits import ATTACHMENT_FILE_MAX
from commander.core.ops import Entity, Field
from commander.core.quick_entry import check_occurred_at
from commander.core.records import ChangeSet, TimelineEntry
from commander.core.text import EVENT_MAX, clean_text
from commander.services.workspace import Workspace
from commander.storage import blobs, queries
from commander.storage.blobs import StoredAttachment
from commander.storage.oplog import OpDraft


@dataclass(frozen=True)
class Attached:
    entry: TimelineEntry
    ref: AttachmentRef
    changes: ChangeSet


class AttachmentService:
    """Use cases on the files of an incident's timeline."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def attach(
        self,
        incident_id: str,
        data: bytes,
        name: str,
        *,
        media_type: str | None = None,
        note: str = "",
        occurred_at: datetime | None = None,
    ) -> Attached:
        """Log an entry carrying ``data``; refused in one sentence when over a limit."""
        name = core.clean_name(name)
        core.check_file_size(len(data), name)
        note = clean_text(note, what="Note", limit=EVENT_MAX, multiline=True)
        ref = AttachmentRef(
            core.digest(data), name, core.media_type_of(name, data, media_type), len(data)
        )
        now = self._ws.clock.now()
        when = check_occurred_at(occurred_at, now) if occurred_at else now
        entry_id = new_id()
        with self._ws.write() as conn:
            if queries.get_incident(conn, incident_id) is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            held = blobs.for_incident(conn, incident_id)
            if all(item.ref.sha256 != ref.sha256 for item in held):  # a repeat adds no bytes
                core.check_incident_total(blobs.incident_total(conn, incident_id), ref.size, name)
            blobs.put(conn, ref.sha256, data)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.ENTRY,
                        entry_id,
                        Field.CREATE,
                        {
                            "occurred_at": iso(when),
                            "event": note or core.default_event(ref),
                            "action": "",
                            "owner": "",
                            "kind": "note",
                            core.VALUE_KEY: ref.to_value(),
                        },
                    )
                ],
            )
            entry = queries.entry(conn, entry_id)
        assert entry is not None
        return Attached(entry, ref, ChangeSet.of(ops))

    def attach_file(self, incident_id: str, path: Path, *, note: str = "") -> Attached:
        """Attach a file from disk; its size is checked before it is read."""
        try:
            size = os.stat(path).st_size
            core.check_file_size(size, core.clean_name(path.name))
            with open(path, "rb") as handle:
                data = handle.read(ATTACHMENT_FILE_MAX + 1)
        except OSError as exc:
            raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        return self.attach(incident_id, data, path.name, note=note)

    def of_incident(self, incident_id: str) -> list[StoredAttachment]:
        with self._ws.read() as conn:
            return blobs.for_incident(conn, incident_id)

    def of_entry(self, entry_id: str) -> StoredAttachment | None:
        with self._ws.read() as conn:
            return blobs.of_entry(conn, entry_id)

    def content(self, sha256: str) -> tuple[AttachmentRef, bytes]:
        """The file with digest ``sha256`` (or a unique prefix of at least 8 hex digits)."""
        sha = sha256.strip().lower()
        with self._ws.read() as conn:
            stored = self._find(conn, sha)
            data = blobs.get(conn, stored.ref.sha256)
        if data is None:
            raise NotFoundError(
                f"The file {stored.ref.name} has not arrived in this workspace yet; sync first."
            )
        if core.digest(data) != stored.ref.sha256:
            raise ValidationError(
                f"The stored bytes of {stored.ref.name} no longer match its SHA-256; "
                "run 'commander verify'."
            )
        return stored.ref, data

    def _find(self, conn: Connection, sha: str) -> StoredAttachment:
        if len(sha) < 8 or any(c not in "0123456789abcdef" for c in sha):
            raise ValidationError(
                f"{sha!r} is not a SHA-256 (give at least its first 8 hex digits)."
            )
        matches = {
            held.ref.sha256: held
            for held in blobs.all_references(conn)
            if held.ref.sha256.startswith(sha)
        }
        if not matches:
            raise NotFoundError(f"No attached file has the SHA-256 {sha}.")
        if len(matches) > 1:
            raise ValidationError(
                f"{sha} is the start of {len(matches)} files' SHA-256; give more."
            )
        return next(iter(matches.values()))

    def export(self, incident_id: str, folder: Path) -> list[Path]:
        """Write the incident's files (those present here) into ``folder``; returns them."""
        written: list[Path] = []
        with self._ws.read() as conn:
            held = blobs.for_incident(conn, incident_id)
            contents = {item.ref.sha256: blobs.get(conn, item.ref.sha256) for item in held}
        seen: set[str] = set()
        for item in held:
            data = contents.get(item.ref.sha256)
            target = folder / item.ref.export_name()
            if data is None or target.name in seen:
                continue
            seen.add(target.name)
            folder.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
        return written
