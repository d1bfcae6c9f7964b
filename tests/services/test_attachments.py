"""Attachments: the op carries the file's digest, the blob store its bytes, verify both."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from commander.core.errors import ValidationError
from commander.core.limits import ATTACHMENT_FILE_MAX, ATTACHMENTS_INCIDENT_MAX, MIB
from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage.database import dbapi

PNG = (Path(__file__).parent.parent / "fixtures" / "attachments" / "red-2x2.png").read_bytes()


@pytest.fixture
def incident_id(workspace: Workspace) -> str:
    return IncidentService(workspace).declare(title="API down", severity="P1").incident.id


def test_attach_stores_by_digest_and_the_op_covers_it(workspace: Workspace, incident_id: str):
    done = AttachmentService(workspace).attach(incident_id, PNG, "graph.png")
    assert done.ref.sha256 == hashlib.sha256(PNG).hexdigest()
    assert done.ref.media_type == "image/png" and done.ref.size == len(PNG)
    assert done.entry.event.startswith("Screenshot attached: graph.png")
    with workspace.read() as conn:
        raw = dbapi(conn)
        value = raw.execute(
            "SELECT value FROM op WHERE entity = 'entry' AND entity_id = ?", (done.entry.id,)
        ).fetchone()[0]
        stored = raw.execute("SELECT count(*) FROM blob").fetchone()[0]
    assert done.ref.sha256 in value  # the hash chain and the signature cover the digest
    assert stored == 1
    ref, data = AttachmentService(workspace).content(done.ref.sha256[:10])
    assert data == PNG and ref.name == "graph.png"
    report = verify_workspace(workspace)
    assert report.ok and report.attachments_checked == 1


def test_verify_fails_when_a_stored_byte_changes(workspace: Workspace, incident_id: str):
    done = AttachmentService(workspace).attach(incident_id, PNG, "graph.png", note="p99 graph")
    assert done.entry.event == "p99 graph"
    changed = PNG[:-1] + bytes([PNG[-1] ^ 1])
    with workspace.write() as conn:
        dbapi(conn).execute("UPDATE blob SET data = ? WHERE sha256 = ?", (changed, done.ref.sha256))
    report = verify_workspace(workspace)
    assert not report.ok
    assert report.attachment_problems == [
        f"the file graph.png of entry {done.entry.id} was changed: its bytes no longer match "
        "the SHA-256 its op records"
    ]
    with pytest.raises(ValidationError, match="no longer match its SHA-256"):
        AttachmentService(workspace).content(done.ref.sha256)


def test_verify_fails_when_a_file_is_removed(workspace: Workspace, incident_id: str):
    AttachmentService(workspace).attach(incident_id, b"ERROR db timeout\n", "app.log")
    with workspace.write() as conn:
        dbapi(conn).execute("DELETE FROM blob")
    report = verify_workspace(workspace)
    assert not report.ok and "app.log" in report.attachment_problems[0]


def test_a_file_over_the_limit_is_refused_in_one_sentence(workspace: Workspace, incident_id: str):
    service = AttachmentService(workspace)
    with pytest.raises(ValidationError) as refused:
        service.attach(incident_id, b"x" * (ATTACHMENT_FILE_MAX + 1), "dump.bin")
    assert str(refused.value) == (
        "dump.bin is 20.0 MiB; a file on the timeline may be at most 20 MiB."
    )
    with pytest.raises(ValidationError, match="is empty"):
        service.attach(incident_id, b"", "empty.txt")
    with workspace.read() as conn:
        assert dbapi(conn).execute("SELECT count(*) FROM blob").fetchone()[0] == 0


def test_the_incident_limit_counts_distinct_files(workspace: Workspace, incident_id: str):
    service = AttachmentService(workspace)
    per_file = ATTACHMENT_FILE_MAX
    count = ATTACHMENTS_INCIDENT_MAX // per_file
    for n in range(count):
        service.attach(incident_id, bytes([n]) * per_file, f"part{n}.bin")
    service.attach(incident_id, bytes([0]) * per_file, "again.bin")  # same bytes: no new space
    with pytest.raises(ValidationError) as refused:
        service.attach(incident_id, b"y" * MIB, "one-more.bin")
    assert "an incident may hold at most 200 MiB of files" in str(refused.value)
    other = IncidentService(workspace).declare(title="Other", severity="P3").incident.id
    service.attach(other, b"y" * MIB, "one-more.bin")  # the limit is per incident


def test_attach_file_checks_the_size_before_reading(
    workspace: Workspace, incident_id: str, tmp_path: Path
):
    big = tmp_path / "huge.log"
    with open(big, "wb") as handle:
        handle.truncate(ATTACHMENT_FILE_MAX + 1)
    with pytest.raises(ValidationError, match="at most 20 MiB"):
        AttachmentService(workspace).attach_file(incident_id, big)
    with pytest.raises(ValidationError, match="Cannot read"):
        AttachmentService(workspace).attach_file(incident_id, tmp_path / "absent.png")


def test_names_are_made_safe_and_export_writes_beside(
    workspace: Workspace, incident_id: str, tmp_path: Path
):
    service = AttachmentService(workspace)
    done = service.attach(incident_id, PNG, "../../etc/pass:wd.png")
    assert done.ref.name == "pass_wd.png"
    written = service.export(incident_id, tmp_path / "files")
    assert [p.name for p in written] == [done.ref.export_name()]
    assert written[0].read_bytes() == PNG
