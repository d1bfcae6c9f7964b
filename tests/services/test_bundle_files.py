"""Bundles carry the files attached to entries: listed in the signed manifest, each checked
by its SHA-256 on import; a bad file refuses the bundle naming it; format 1 still imports."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commander.core.bundle_format import MAGIC
from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.ops import canonical_json
from commander.services.attachments import AttachmentService
from commander.services.bundles import export_bundle, import_bundle, read_bundle
from commander.services.incidents import IncidentService
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import blobs, queries

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
PNG = (Path(__file__).parent.parent / "fixtures" / "attachments" / "red-2x2.png").read_bytes()


@pytest.fixture
def pair(tmp_path: Path):
    clock = FakeClock(T0)
    alice = Workspace.open(tmp_path / "alice", author="alice", clock=clock, zone=UTC)
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    yield alice, bob
    alice.close()
    bob.close()


def _attached(ws: Workspace) -> str:
    incident = IncidentService(ws).declare(title="API down", severity="P1").incident
    return AttachmentService(ws).attach(incident.id, PNG, "graph.png", note="p99").ref.sha256


def _count(ws: Workspace) -> int:
    with ws.read() as conn:
        return queries.count_ops(conn)


def _blob(ws: Workspace, sha: str) -> bytes | None:
    with ws.read() as conn:
        return blobs.get(conn, sha)


def _parts(data: bytes) -> tuple[bytes, list[bytes]]:
    """The bundle's header lines (with signature) and its unpacked body lines."""
    first = data.index(b"\n")
    third = data.index(b"\n", data.index(b"\n", first + 1) + 1)
    return data[: third + 1], zlib.decompress(data[third + 1 :]).split(b"\n")


def test_a_file_round_trips_and_a_second_import_changes_nothing(pair, tmp_path):
    alice, bob = pair
    sha = _attached(alice)
    written = export_bundle(alice, tmp_path / "a.bundle")
    assert written.files == 1
    assert read_bundle(written.path).manifest["files"] == [{"sha256": sha, "size": len(PNG)}]

    first = import_bundle(bob, written.path)
    assert first.imported == written.ops and _blob(bob, sha) == PNG
    assert verify_workspace(bob).ok
    before = _count(bob)
    again = import_bundle(bob, written.path)
    assert (again.imported, again.already_present, _count(bob)) == (0, written.ops, before)


def test_a_changed_byte_in_a_file_refuses_the_bundle_naming_it(pair, tmp_path):
    alice, bob = pair
    sha = _attached(alice)
    data = export_bundle(alice, tmp_path / "a.bundle").path.read_bytes()
    head, lines = _parts(data)
    altered = bytearray(PNG)
    altered[len(PNG) // 2] ^= 0x01
    forged = [
        canonical_json({"sha256": sha, "data": base64.b64encode(altered).decode()}).encode()
        if line.startswith(b'{"data"')
        else line
        for line in lines
    ]
    path = tmp_path / "bad.bundle"
    path.write_bytes(head + zlib.compress(b"\n".join(forged)))
    with pytest.raises(ValidationError, match=f"The file {sha} in .* does not match the SHA-256"):
        import_bundle(bob, path)
    dropped = [line for line in lines if not line.startswith(b'{"data"')]
    path.write_bytes(head + zlib.compress(b"\n".join(dropped)))
    with pytest.raises(ValidationError, match=f"lacks the file {sha}"):
        import_bundle(bob, path)
    assert _count(bob) == 0 and _blob(bob, sha) is None


def test_a_format_1_bundle_without_files_still_imports(pair, tmp_path):
    alice, bob = pair
    incident = IncidentService(alice).declare(title="API down", severity="P1").incident
    IncidentService(alice).log(incident.id, "Paged on-call")
    data = export_bundle(alice, tmp_path / "a.bundle").path.read_bytes()
    head, lines = _parts(data)
    manifest = json.loads(head.split(b"\n")[1])
    del manifest["files"]  # what a Commander before files wrote
    old_head = MAGIC + b" 1\n" + canonical_json(manifest).encode() + b"\n"
    signature = alice.signer().sign(old_head).encode() + b"\n"
    path = tmp_path / "old.bundle"
    path.write_bytes(old_head + signature + zlib.compress(b"\n".join(lines)))
    assert not read_bundle(path).carries_files
    assert import_bundle(bob, path).imported == manifest["count"] == _count(bob)
