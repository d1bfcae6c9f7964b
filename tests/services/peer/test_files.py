"""Attached files in a peer exchange: which ops name a file, and the files message both ways."""

from __future__ import annotations

import struct

import pytest

from commander.core.attachments import digest
from commander.core.errors import ValidationError
from commander.core.limits import ATTACHMENT_FILE_MAX
from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService
from commander.services.peer.files import decode_files, encode_files, file_ref, files_for
from commander.storage import queries

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def test_only_an_entry_create_op_names_a_file(workspace, incidents: IncidentService) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    AttachmentService(workspace).attach(incident.id, PNG, "graph.png")
    with workspace.read() as conn:
        ops = list(queries.ops_in_chain_order(conn))
        found = files_for(conn, ops)
    refs = [ref for ref in map(file_ref, ops) if ref is not None]
    assert [(ref.sha256, ref.name, ref.size) for ref in refs] == [
        (digest(PNG), "graph.png", len(PNG))
    ]
    assert found == {digest(PNG): PNG}
    with workspace.read() as conn:
        assert files_for(conn, [op for op in ops if file_ref(op) is None]) == {}


def test_the_files_message_reads_back() -> None:
    files = {digest(PNG): PNG, digest(b"x"): b"x"}
    assert decode_files(encode_files(files)) == files
    assert decode_files(encode_files({})) == {}
    assert encode_files({}) == b"\0\0\0\0"


@pytest.mark.parametrize(
    "damaged",
    [
        b"",
        b"\0\0",
        encode_files({digest(PNG): PNG})[:-1],
        encode_files({digest(PNG): PNG}) + b"\0",
        struct.pack(">I", 2) + encode_files({digest(PNG): PNG})[4:],
        struct.pack(">I", 1) + b"a" * 64 + struct.pack(">I", ATTACHMENT_FILE_MAX + 1),
    ],
    ids=["empty", "short count", "cut", "trailing", "count too high", "too large"],
)
def test_a_damaged_files_message_is_one_sentence(damaged: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        decode_files(damaged)
    assert str(refused.value) == "The peer's attached files do not read back; nothing was imported."
