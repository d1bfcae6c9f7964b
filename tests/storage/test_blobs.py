"""The blob store (storage/blobs.py): bytes kept once by digest, the ``attachment`` row an
entry op with a file makes, an incident's files in timeline order and its total counted once
per distinct file."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

from commander.core.attachments import VALUE_KEY
from commander.core.clock import FakeClock
from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import blobs
from tests.storage.foreign_ops import entry, rows


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_put_keeps_one_copy_and_get_returns_the_bytes(workspace: Workspace) -> None:
    data = b"2026-11-28 10:00 ERROR pool exhausted\n"
    with workspace.write() as conn:
        blobs.put(conn, _sha(data), data)
        blobs.put(conn, _sha(data), data)  # a second attach of the same file
        assert blobs.get(conn, _sha(data)) == data
        assert blobs.get(conn, "0" * 64) is None
        assert rows(conn, "SELECT sha256, size FROM blob") == [(_sha(data), len(data))]
        assert blobs.present(conn, []) == set()


def test_present_answers_over_many_digests(workspace: Workspace) -> None:
    held = [f"file {n}".encode() for n in range(3)]
    with workspace.write() as conn:
        for data in held:
            blobs.put(conn, _sha(data), data)
        wanted = [_sha(f"missing {n}".encode()) for n in range(1200)] + [_sha(d) for d in held]
        assert blobs.present(conn, wanted) == {_sha(d) for d in held}  # past the 500-id chunk


def test_an_incidents_files_in_timeline_order_and_their_total(
    workspace: Workspace, incidents: IncidentService, clock: FakeClock
) -> None:
    incident = incidents.declare(title="Checkout errors", severity="P1").incident
    other = incidents.declare(title="Unrelated", severity="P3").incident
    files = AttachmentService(workspace)
    clock.advance(timedelta(minutes=5))
    later = files.attach(incident.id, b"\x89PNG\r\n\x1a\n graph", "graph.png")
    earlier = files.attach(
        incident.id, b"error log", "app.log", occurred_at=clock.now() - timedelta(minutes=3)
    )
    again = files.attach(incident.id, b"error log", "copy.log")  # the same bytes, a new entry
    files.attach(other.id, b"other bytes", "other.txt")
    with workspace.read() as conn:
        listed = blobs.for_incident(conn, incident.id)
        total = blobs.incident_total(conn, incident.id)
        of_entry = blobs.of_entry(conn, later.entry.id)
        by_digest = blobs.by_digest(conn, _sha(b"error log"))
        everything = blobs.all_references(conn)
        assert blobs.incident_total(conn, "no-such-incident") == 0
        assert blobs.of_entry(conn, "no-such-entry") is None
        assert blobs.by_digest(conn, "0" * 64) is None
    assert [(a.entry_id, a.ref.name) for a in listed] == [
        (earlier.entry.id, "app.log"),
        (later.entry.id, "graph.png"),
        (again.entry.id, "copy.log"),
    ]
    assert total == len(b"\x89PNG\r\n\x1a\n graph") + len(b"error log")  # app.log counted once
    assert of_entry is not None and of_entry.ref.media_type == "image/png"
    assert of_entry.incident_id == incident.id and of_entry.ref.size == 14
    assert by_digest is not None
    assert by_digest.entry_id == min(earlier.entry.id, again.entry.id)
    assert len(everything) == 4
    assert [a.incident_id for a in everything] == sorted(a.incident_id for a in everything)


def test_an_entry_op_without_a_well_formed_reference_makes_no_row(workspace: Workspace) -> None:
    good_sha = _sha(b"bytes")
    ref = {"sha256": good_sha, "name": "a.txt", "media_type": "text/plain", "size": 5}
    plain = entry(1, "e1", "no file")
    junk = entry(2, "e2", "a junk reference")
    junk = replace(junk, value={**junk.value, VALUE_KEY: {**ref, "sha256": "x"}})
    good = entry(3, "e3", "a file")
    good = replace(good, value={**good.value, VALUE_KEY: ref})
    with workspace.write() as conn:
        for op in (plain, junk, good):
            blobs.apply_attachment(conn, op)
        blobs.apply_attachment(conn, good)  # applied again (a replay): still one row
        assert rows(conn, "SELECT entry_id, incident_id, sha256, name, size FROM attachment") == [
            ("e3", "inc", good_sha, "a.txt", 5)
        ]
