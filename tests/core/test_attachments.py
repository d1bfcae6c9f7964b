"""Files on the timeline: the reference an entry op carries, what makes stored bytes not that
file, safe names, media types sniffed from the bytes, and the size limits in one sentence."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from commander.core.attachments import (
    OCTET_STREAM,
    VALUE_KEY,
    AttachmentRef,
    check_file_size,
    check_incident_total,
    clean_name,
    default_event,
    digest,
    media_type_of,
    problem_with,
    ref_of,
    size_text_of,
)
from commander.core.errors import ValidationError
from commander.core.limits import ATTACHMENT_FILE_MAX, ATTACHMENT_NAME_MAX, MIB

DATA = b"\x89PNG\r\n\x1a\n rest of the picture"
SHA = hashlib.sha256(DATA).hexdigest()
REF = AttachmentRef(SHA, "graph.png", "image/png", len(DATA))


def test_a_reference_round_trips_through_an_entry_value() -> None:
    value = {"event": "x", VALUE_KEY: REF.to_value()}
    assert REF.to_value() == {
        "sha256": SHA,
        "name": "graph.png",
        "media_type": "image/png",
        "size": len(DATA),
    }
    assert ref_of(value) == REF
    assert digest(DATA) == SHA


@pytest.mark.parametrize(
    "value",
    [
        None,
        "text",
        {},
        {VALUE_KEY: "x"},
        {VALUE_KEY: {**REF.to_value(), "sha256": SHA.upper()}},
        {VALUE_KEY: {**REF.to_value(), "sha256": SHA[:-1]}},
        {VALUE_KEY: {**REF.to_value(), "name": 3}},
        {VALUE_KEY: {**REF.to_value(), "media_type": None}},
        {VALUE_KEY: {**REF.to_value(), "size": -1}},
        {VALUE_KEY: {**REF.to_value(), "size": True}},
        {VALUE_KEY: {**REF.to_value(), "size": "19"}},
    ],
)
def test_junk_is_no_reference(value: Any) -> None:
    assert ref_of(value) is None


def test_an_image_is_shown_and_other_files_saved() -> None:
    assert REF.is_image
    assert not AttachmentRef(SHA, "a.pdf", "application/pdf", 1).is_image
    assert REF.export_name() == f"{SHA[:12]}-graph.png"


def test_the_stored_bytes_must_be_the_file_the_op_names() -> None:
    assert problem_with(REF, DATA) is None
    assert problem_with(REF, None) == (
        f"its file graph.png ({SHA[:12]}…) is not in the shared database"
    )
    assert problem_with(REF, DATA + b"!") == (
        "its file graph.png does not match the SHA-256 its op records"
    )


def test_a_file_over_the_limit_is_a_problem_even_when_it_matches() -> None:
    big = b"x" * (ATTACHMENT_FILE_MAX + 1)
    ref = AttachmentRef(digest(big), "dump.bin", OCTET_STREAM, len(big))
    assert problem_with(ref, big) == "its file dump.bin is larger than 20 MiB, the limit"


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("graph.png", "graph.png"),
        ("  C:\\Users\\kim\\shot 1.png ", "shot 1.png"),
        ("/etc/passwd", "passwd"),
        ('a:b*c?"d<e>|f.txt', "a_b_c__d_e__f.txt"),
        ("tab\there.log", "tab_here.log"),
        ("...", "file"),
        ("", "file"),
        ("folder/", "file"),
    ],
)
def test_a_name_is_made_safe_to_show_and_write(name: str, clean: str) -> None:
    assert clean_name(name) == clean


def test_a_long_name_keeps_its_extension() -> None:
    name = clean_name("x" * 300 + ".png")
    assert len(name) == ATTACHMENT_NAME_MAX
    assert name.endswith("x.png")
    no_extension = clean_name("y" * 300)
    assert no_extension == "y" * ATTACHMENT_NAME_MAX
    long_extension = clean_name("z." + "e" * 300)
    assert len(long_extension) == ATTACHMENT_NAME_MAX


@pytest.mark.parametrize(
    ("name", "data", "given", "media"),
    [
        ("x.bin", DATA, None, "image/png"),
        ("x.txt", b"\xff\xd8\xff\xe0jpeg", "text/plain", "image/jpeg"),
        ("x", b"GIF89a...", None, "image/gif"),
        ("x", b"GIF87a...", None, "image/gif"),
        ("x", b"%PDF-1.7", None, "application/pdf"),
        ("x", b"BM....", None, "image/bmp"),
        ("x", b"RIFF\x00\x00\x00\x00WEBPVP8", None, "image/webp"),
        ("notes.txt", b"hello", "Text/Markdown", "text/markdown"),
        ("notes.txt", b"hello", "not a type", "text/plain"),
        ("notes.csv", b"a,b", None, "text/csv"),
        ("mystery", b"\x00\x01", None, OCTET_STREAM),
    ],
)
def test_the_media_type_comes_from_the_bytes_then_the_given_type_then_the_name(
    name: str, data: bytes, given: str | None, media: str
) -> None:
    assert media_type_of(name, data, given) == media


def test_a_file_on_the_timeline_must_hold_something_within_the_limit() -> None:
    check_file_size(ATTACHMENT_FILE_MAX, "big.png")
    with pytest.raises(ValidationError) as caught:
        check_file_size(ATTACHMENT_FILE_MAX + 1, "big.png")
    assert str(caught.value) == (
        "big.png is 20.0 MiB; a file on the timeline may be at most 20 MiB."
    )
    with pytest.raises(ValidationError) as caught:
        check_file_size(0, "empty.txt")
    assert str(caught.value) == "empty.txt is empty; there is nothing to attach."


def test_an_incidents_files_together_stay_within_their_limit() -> None:
    check_incident_total(190 * MIB, 10 * MIB, "last.png")
    with pytest.raises(ValidationError) as caught:
        check_incident_total(195 * MIB, 10 * MIB, "one-too-many.png")
    assert str(caught.value) == (
        "one-too-many.png (10.0 MiB) would take this incident's files to 205.0 MiB; "
        "an incident may hold at most 200 MiB of files."
    )


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (812, "812 bytes"),
        (1023, "1,023 bytes"),
        (1024, "1.0 KiB"),
        (46_285, "45.2 KiB"),
        (3_250_586, "3.1 MiB"),
    ],
)
def test_sizes_read_for_people(size: int, text: str) -> None:
    assert size_text_of(size) == text


def test_the_default_event_says_screenshot_or_file() -> None:
    assert default_event(AttachmentRef(SHA, "graph.png", "image/png", 46_285)) == (
        "Screenshot attached: graph.png (45.2 KiB)"
    )
    assert default_event(AttachmentRef(SHA, "log.txt", "text/plain", 12)) == (
        "File attached: log.txt (12 bytes)"
    )
