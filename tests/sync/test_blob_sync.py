"""Which file a pulled row names, and why a fetched file is not the one its op records."""

from __future__ import annotations

import json

from commander.core.attachments import AttachmentRef, digest, problem_with
from commander.core.ops import Entity, Field
from commander.sync.blob_sync import digests_of, row_ref

DATA = b"%PDF-1.7 postmortem"
SHA = digest(DATA)
ATTACHED = {
    "event": "the postmortem",
    "attachment": {"sha256": SHA, "name": "pm.pdf", "media_type": "application/pdf", "size": 19},
}


def server_row(value: object, entity: str = Entity.ENTRY, field: str = Field.CREATE) -> tuple:
    """``(seq, effective_hlc, *OP_COLUMNS)`` with the given entity, field and value."""
    text = value if isinstance(value, str) else json.dumps(value)
    return (1, "h", "op", "node", "h", "inc", entity, "entry-1", field, text, "a", 1, "p", "x", "")


def test_an_entry_create_with_an_attachment_names_its_file():
    assert row_ref(server_row(ATTACHED)) == AttachmentRef(SHA, "pm.pdf", "application/pdf", 19)


def test_rows_that_name_no_file():
    assert row_ref(server_row({"event": "no file"})) is None
    assert row_ref(server_row(ATTACHED, field=Field.AMEND)) is None
    assert row_ref(server_row(ATTACHED, entity=Entity.INCIDENT)) is None
    assert row_ref(server_row('{"attachment": not json')) is None
    assert row_ref(server_row({"attachment": {"sha256": "short", "name": "x"}})) is None
    assert row_ref(server_row(None)) is None  # JSON null: not a string of an object


def test_digests_of_a_page_are_the_files_its_rows_name():
    other = {**ATTACHED, "attachment": {**ATTACHED["attachment"], "sha256": "ab" * 32}}
    rows = [server_row(ATTACHED), server_row({"event": "x"}), server_row(other)]
    assert digests_of(rows) == {SHA, "ab" * 32}
    assert digests_of([]) == set()


def test_a_fetched_file_must_be_the_one_its_op_records():
    ref = AttachmentRef(SHA, "pm.pdf", "application/pdf", len(DATA))
    assert problem_with(ref, DATA) is None
    assert problem_with(ref, None) == (
        f"its file pm.pdf ({SHA[:12]}…) is not in the shared database"
    )
    assert problem_with(ref, DATA + b"!") == (
        "its file pm.pdf does not match the SHA-256 its op records"
    )
    assert problem_with(ref, b"x" * len(DATA)) == (
        "its file pm.pdf does not match the SHA-256 its op records"
    )
