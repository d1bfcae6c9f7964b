"""Screenshots and files on the timeline: the reference an entry op carries, and its rules.

An attachment is stored content-addressed (its SHA-256); the entry op that attaches it carries
``{"sha256", "name", "media_type", "size"}`` in its value, so the op's hash chain and its
signature cover the file's digest: changing one byte of the stored file is caught by
``verify`` and by every replica that pulls it. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from typing import Any

from commander.core.errors import ValidationError
from commander.core.limits import (
    ATTACHMENT_FILE_MAX,
    ATTACHMENT_NAME_MAX,
    ATTACHMENTS_INCIDENT_MAX,
    size_text,
)

VALUE_KEY = "attachment"  # the key of an entry create op's value that carries the reference
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
# Formats a viewer shows as a picture; anything else is a file to save and open elsewhere.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
_SNIFF = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"BM", "image/bmp"),
)
OCTET_STREAM = "application/octet-stream"


@dataclass(frozen=True)
class AttachmentRef:
    """What an entry op says about its file; the bytes live in the blob store."""

    sha256: str
    name: str
    media_type: str
    size: int

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGE_TYPES

    def to_value(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
        }

    def export_name(self) -> str:
        """A file name that cannot collide in an export folder: digest prefix and name."""
        return f"{self.sha256[:12]}-{self.name}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ref_of(value: Any) -> AttachmentRef | None:
    """The well-formed reference in an entry op's value, or None (no attachment, or junk)."""
    found = value.get(VALUE_KEY) if isinstance(value, dict) else None
    if not isinstance(found, dict):
        return None
    sha, name = found.get("sha256"), found.get("name")
    media, size = found.get("media_type"), found.get("size")
    if not (isinstance(sha, str) and _HEX64.fullmatch(sha)):
        return None
    if not (isinstance(name, str) and isinstance(media, str)):
        return None
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return None
    return AttachmentRef(sha, name, media, size)


def problem_with(ref: AttachmentRef, data: bytes | None) -> str | None:
    """Why ``data`` is not the file ``ref`` names (None: it is)."""
    if data is None:
        return f"its file {ref.name} ({ref.sha256[:12]}…) is not in the shared database"
    if len(data) != ref.size or digest(data) != ref.sha256:
        return f"its file {ref.name} does not match the SHA-256 its op records"
    if ref.size > ATTACHMENT_FILE_MAX:
        return f"its file {ref.name} is larger than {size_text(ATTACHMENT_FILE_MAX)}, the limit"
    return None


def clean_name(name: str) -> str:
    """A file name safe to show and to write beside an export (no folders, no controls)."""
    base = re.split(r"[/\\]", name.strip())[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    if not base:
        base = "file"
    if len(base) > ATTACHMENT_NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        keep = ATTACHMENT_NAME_MAX - len(ext) - 1
        base = f"{stem[:keep]}.{ext}" if dot and 0 < len(ext) < 16 else base[:ATTACHMENT_NAME_MAX]
    return base


def media_type_of(name: str, data: bytes, given: str | None = None) -> str:
    """The media type: what the bytes say for common formats, else the name's extension."""
    for magic, media in _SNIFF:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if given and _MEDIA_TYPE.fullmatch(given.lower()):
        return given.lower()
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or OCTET_STREAM


def check_file_size(size: int, name: str) -> None:
    if size > ATTACHMENT_FILE_MAX:
        raise ValidationError(
            f"{name} is {size_text_of(size)}; a file on the timeline may be at most "
            f"{size_text(ATTACHMENT_FILE_MAX)}."
        )
    if size == 0:
        raise ValidationError(f"{name} is empty; there is nothing to attach.")


def check_incident_total(stored: int, adding: int, name: str) -> None:
    """Refuse a file that would take the incident's attachments past their limit."""
    if stored + adding > ATTACHMENTS_INCIDENT_MAX:
        raise ValidationError(
            f"{name} ({size_text_of(adding)}) would take this incident's files to "
            f"{size_text_of(stored + adding)}; an incident may hold at most "
            f"{size_text(ATTACHMENTS_INCIDENT_MAX)} of files."
        )


def size_text_of(size: int) -> str:
    """A size for people: ``812 bytes``, ``45.2 KiB``, ``3.1 MiB``."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def default_event(ref: AttachmentRef) -> str:
    kind = "Screenshot" if ref.is_image else "File"
    return f"{kind} attached: {ref.name} ({size_text_of(ref.size)})"
