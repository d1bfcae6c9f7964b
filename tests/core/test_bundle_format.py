"""The bundle file: encoded ops and files read back equal, and every damage refused in one
sentence that says what failed and that nothing was imported."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import replace
from typing import Any

import pytest

from commander.core.bundle_format import (
    FORMAT_VERSION,
    MAGIC,
    Bundle,
    decode,
    dumps_manifest,
    encode,
    manifest_heads,
    ops_digest,
)
from commander.core.errors import ValidationError
from commander.core.ops import GENESIS_HASH, Entity, Field, Op, canonical_json
from commander.core.signing import Ed25519Signer, fingerprint

SIGNER = Ed25519Signer.from_hex("01" * 32)
OTHER = Ed25519Signer.from_hex("02" * 32)
WHAT = "b.bundle"
FILE = b"screenshot bytes"
FILE_SHA = hashlib.sha256(FILE).hexdigest()


def chain(count: int, node: str = "node-a") -> list[Op]:
    ops: list[Op] = []
    prev = GENESIS_HASH
    for n in range(1, count + 1):
        op = Op(
            op_id=f"op-{n}",
            node_id=node,
            hlc=f"{1_000 + n:015d}.000000",
            incident_id="inc-1",
            entity=Entity.INCIDENT,
            entity_id="inc-1",
            field=Field.TITLE,
            value=f"title {n}",
            author="alice",
        ).sealed(prev)
        prev = op.hash
        ops.append(op)
    return ops


def manifest(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "created_at": "2026-11-28T10:00:00.000Z",
        "exporter": {"node_id": "node-a", "author": "alice", "public_key": SIGNER.public_key},
        "incident": "inc-1",
        "since": {},
        "heads": {"node-a": "a" * 64},
    }
    return {**base, **changes}


def resign(data: bytes, edit: Any) -> bytes:
    """The bundle with its manifest line edited and signed again by SIGNER."""
    magic, line, _signature, body = data.split(b"\n", 3)
    head = magic + b"\n" + edit(line) + b"\n"
    return head + SIGNER.sign(head).encode("ascii") + b"\n" + body


def with_body(data: bytes, lines: list[bytes]) -> bytes:
    """The bundle's header and signature over a new compressed body."""
    magic, line, signature, _body = data.split(b"\n", 3)
    return b"\n".join([magic, line, signature]) + b"\n" + zlib.compress(b"".join(lines))


def op_line(op: Op) -> bytes:
    return canonical_json(op.__dict__).encode("utf-8") + b"\n"


def test_ops_and_files_read_back_equal_with_the_manifest_filled_in() -> None:
    ops = chain(3)
    data = encode(manifest(), ops, SIGNER, {FILE_SHA: FILE})
    assert data.startswith(MAGIC + b" %d\n" % FORMAT_VERSION)
    bundle = decode(data, what=WHAT)
    assert bundle.ops == ops
    assert [op.hash for op in bundle.ops] == [op.hash for op in ops]
    assert bundle.files == {FILE_SHA: FILE}
    assert bundle.manifest["count"] == 3
    assert bundle.manifest["ops_digest"] == ops_digest(ops)
    assert bundle.manifest["files"] == [{"sha256": FILE_SHA, "size": len(FILE)}]
    assert bundle.carries_files
    assert bundle.exporter_node == "node-a"
    assert bundle.exporter_key == SIGNER.public_key
    assert bundle.incident == "inc-1"


def test_an_empty_workspace_wide_bundle_reads_back() -> None:
    bundle = decode(encode(manifest(incident=None), [], SIGNER), what=WHAT)
    assert bundle.ops == []
    assert bundle.files == {}
    assert bundle.incident is None


def test_a_format_1_bundle_without_files_is_still_read() -> None:
    ops = chain(2)
    full = {**manifest(), "count": 2, "ops_digest": ops_digest(ops)}
    head = MAGIC + b" 1\n" + canonical_json(full).encode("utf-8") + b"\n"
    data = head + SIGNER.sign(head).encode("ascii") + b"\n"
    data += zlib.compress(b"".join(op_line(op) for op in ops))
    bundle = decode(data, what=WHAT)
    assert bundle.ops == ops
    assert not bundle.carries_files


def test_the_digest_depends_on_order() -> None:
    ops = chain(2)
    assert ops_digest(ops) != ops_digest(list(reversed(ops)))
    assert ops_digest([]) == hashlib.sha256(b"").hexdigest()


def test_manifest_heads_reads_only_the_signed_head() -> None:
    data = encode(manifest(heads={"node-a": "b" * 64}), chain(1), SIGNER)
    head_only = b"\n".join(data.split(b"\n", 3)[:3]) + b"\n"
    assert manifest_heads(head_only, what=WHAT) == {"node-a": "b" * 64}


def test_the_manifest_is_shown_sorted_and_indented() -> None:
    assert dumps_manifest({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "b.bundle is not a Commander bundle (its first line is wrong)."),
        (b"PK\x03\x04 zip\n", "b.bundle is not a Commander bundle (its first line is wrong)."),
        (b"COMMANDER-BUNDLE x\n", "b.bundle has a damaged header line; nothing was imported."),
        (b"COMMANDER-BUNDLE 0\n", "b.bundle has a damaged header line; nothing was imported."),
        (
            b"COMMANDER-BUNDLE 9\n",
            "b.bundle is bundle format 9, newer than this Commander reads (2): "
            "upgrade Commander to import it.",
        ),
        (
            b"COMMANDER-BUNDLE 2\n{}\n",
            "b.bundle is truncated inside its manifest; nothing was imported.",
        ),
    ],
)
def test_a_wrong_header_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda line: b"not json", "b.bundle's manifest is damaged; nothing was imported."),
        (lambda line: b"[1]", "b.bundle's manifest is damaged; nothing was imported."),
        (
            lambda line: line.replace(b'"count":1', b'"count":true'),
            "b.bundle's manifest is damaged (its 'count' is missing or wrong); "
            "nothing was imported.",
        ),
        (
            lambda line: line.replace(b'"author":"alice",', b""),
            "b.bundle's manifest is damaged (the exporter's 'author'); nothing was imported.",
        ),
        (
            lambda line: line.replace(b'"a' + b"a" * 63 + b'"', b'"short"'),
            "b.bundle's manifest is damaged (its 'heads'); nothing was imported.",
        ),
        (
            lambda line: line.replace(b'"files":[]', b'"files":{}'),
            "b.bundle's manifest is damaged (its 'files'); nothing was imported.",
        ),
        (
            lambda line: line.replace(b'"files":[]', b'"files":[{"sha256":"x","size":1}]'),
            "b.bundle's manifest is damaged (its 'files'); nothing was imported.",
        ),
    ],
)
def test_a_damaged_manifest_is_refused(edit: Any, message: str) -> None:
    data = resign(encode(manifest(), chain(1), SIGNER), edit)
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == message


def test_a_file_listed_with_a_negative_size_is_refused() -> None:
    listed = b'"files":[{"sha256":"' + FILE_SHA.encode() + b'","size":-1}]'
    data = resign(
        encode(manifest(), chain(1), SIGNER), lambda line: line.replace(b'"files":[]', listed)
    )
    with pytest.raises(ValidationError, match=r"its 'files'"):
        decode(data, what=WHAT)


def test_a_manifest_signed_by_another_key_is_refused() -> None:
    data = encode(manifest(), chain(1), OTHER)
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        f"b.bundle's signature does not hold under the key {fingerprint(SIGNER.public_key)} it "
        "names: its header or manifest was altered; nothing was imported."
    )


def test_a_manifest_altered_after_signing_is_refused() -> None:
    data = encode(manifest(), chain(1), SIGNER).replace(b'"alice"', b'"mallo"', 1)
    with pytest.raises(ValidationError, match="signature does not hold"):
        decode(data, what=WHAT)
    with pytest.raises(ValidationError, match="signature does not hold"):
        manifest_heads(data, what=WHAT)


def test_a_damaged_signature_line_is_refused() -> None:
    magic, line, signature, body = encode(manifest(), chain(1), SIGNER).split(b"\n", 3)
    data = b"\n".join([magic, line, signature[:-2]]) + b"\n" + body
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == "b.bundle's signature line is damaged; nothing was imported."


def test_fewer_ops_than_listed_is_refused() -> None:
    ops = chain(2)
    data = with_body(encode(manifest(), ops, SIGNER), [op_line(ops[0])])
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        "b.bundle holds 1 ops but its manifest lists 2: it was altered; nothing was imported."
    )


def test_other_ops_than_listed_are_refused_naming_the_first() -> None:
    ops, others = chain(2), chain(2, node="node-b")
    data = with_body(encode(manifest(), ops, SIGNER), [op_line(op) for op in others])
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        "b.bundle's ops are not the ones its signed manifest lists (first op op-1): "
        "it was altered; nothing was imported."
    )


def test_an_op_altered_after_hashing_is_refused_naming_it() -> None:
    ops = chain(2)
    altered = replace(ops[1], value="changed")
    data = with_body(encode(manifest(), ops, SIGNER), [op_line(ops[0]), op_line(altered)])
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        "Op op-2 (#2) in b.bundle does not match its hash: it was altered; nothing was imported."
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"{not json\n", "Op #1 of b.bundle is not readable; nothing was imported."),
        (
            b'{"op_id": "x"}\n',
            "Op #1 of b.bundle does not have an op's fields; nothing was imported.",
        ),
    ],
)
def test_an_unreadable_op_line_is_refused(line: bytes, message: str) -> None:
    data = with_body(encode(manifest(), chain(1), SIGNER), [line])
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == message


def test_an_op_with_a_wrong_typed_field_is_refused() -> None:
    op = chain(1)[0]
    body = {**op.__dict__, "schema_version": "1"}
    line = canonical_json(body).encode("utf-8") + b"\n"
    data = with_body(encode(manifest(), [op], SIGNER), [line])
    with pytest.raises(ValidationError, match="does not have an op's fields"):
        decode(data, what=WHAT)


def test_an_op_from_a_newer_schema_is_refused() -> None:
    op = chain(1)[0]
    newer = replace(op, schema_version=op.schema_version + 1).sealed(GENESIS_HASH)
    data = with_body(encode(manifest(), [op], SIGNER), [op_line(newer)])
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        f"b.bundle holds changes from a newer Commander (op schema {op.schema_version + 1}); "
        "upgrade Commander to import it."
    )


def test_a_body_that_does_not_decompress_is_refused() -> None:
    magic, line, signature, _body = encode(manifest(), chain(1), SIGNER).split(b"\n", 3)
    data = b"\n".join([magic, line, signature]) + b"\nnot zlib at all"
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        "b.bundle is damaged after op #0 (before its first op): its compressed data does not "
        "read back; nothing was imported."
    )


def test_a_truncated_body_is_refused() -> None:
    data = encode(manifest(), chain(3), SIGNER)
    with pytest.raises(ValidationError, match="is truncated or has bytes after its end"):
        decode(data[:-6], what=WHAT)


def test_bytes_after_the_end_are_refused() -> None:
    data = encode(manifest(), chain(1), SIGNER) + b"extra"
    with pytest.raises(ValidationError) as caught:
        decode(data, what=WHAT)
    assert str(caught.value) == (
        "b.bundle is truncated or has bytes after its end (after op #1, op op-1); "
        "nothing was imported."
    )


def test_a_file_whose_bytes_differ_from_its_listing_is_refused() -> None:
    ops = chain(1)
    data = encode(manifest(), ops, SIGNER, {FILE_SHA: FILE})
    fake = canonical_json({"sha256": FILE_SHA, "data": "b3RoZXIgYnl0ZXMhIQ=="}).encode() + b"\n"
    with pytest.raises(ValidationError) as caught:
        decode(with_body(data, [op_line(ops[0]), fake]), what=WHAT)
    assert str(caught.value) == (
        f"The file {FILE_SHA} in b.bundle does not match the SHA-256 its manifest lists: it was "
        "altered; nothing was imported."
    )


def test_a_file_not_listed_is_refused() -> None:
    ops = chain(1)
    data = encode(manifest(), ops, SIGNER, {FILE_SHA: FILE})
    other = "f" * 64
    line = canonical_json({"sha256": other, "data": ""}).encode() + b"\n"
    with pytest.raises(ValidationError) as caught:
        decode(with_body(data, [op_line(ops[0]), line]), what=WHAT)
    assert str(caught.value) == (
        f"b.bundle holds a file its signed manifest does not list ({other}): it was "
        "altered; nothing was imported."
    )


def test_an_unreadable_file_line_is_refused() -> None:
    ops = chain(1)
    data = encode(manifest(), ops, SIGNER, {FILE_SHA: FILE})
    line = canonical_json({"sha256": FILE_SHA, "data": "***"}).encode() + b"\n"
    with pytest.raises(ValidationError) as caught:
        decode(with_body(data, [op_line(ops[0]), line]), what=WHAT)
    assert str(caught.value) == "A file line of b.bundle is not readable; nothing was imported."


def test_a_listed_file_missing_from_the_body_is_refused() -> None:
    ops = chain(1)
    data = encode(manifest(), ops, SIGNER, {FILE_SHA: FILE})
    with pytest.raises(ValidationError) as caught:
        decode(with_body(data, [op_line(ops[0])]), what=WHAT)
    assert str(caught.value) == (
        f"b.bundle lacks the file {FILE_SHA} its manifest lists: it was truncated or "
        "altered; nothing was imported."
    )


def test_a_bundle_value_is_plain_data() -> None:
    bundle = Bundle({"exporter": {"node_id": 7, "public_key": "k"}, "incident": None}, [])
    assert bundle.exporter_node == "7"
    assert bundle.files == {}
    assert not bundle.carries_files
