"""The people directory: who can be called in, how to reach them, which roles they can take.

A person is identified by a handle (``alice``, case-insensitive, unique in the workspace); role
assignments refer to the handle, so it never changes. The CSV format, read and written here
without touching a file: ``name,handle,team,email,phone,roles`` with roles separated by ``;``.
Imports accept UTF-8 (with or without a BOM) and fall back to Latin-1 (Excel on Windows), and
never import part of a file silently: every refused row is named with its line and reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from commander.core import limits
from commander.core.csv_cells import SafeCsvWriter, unescape_cell
from commander.core.errors import ValidationError
from commander.core.records_json import JsonRecord, json_field
from commander.core.text import SHORT_MAX, clean_text

CSV_COLUMNS = ("name", "handle", "team", "email", "phone", "roles")
REQUIRED_COLUMNS = ("name", "handle")
HANDLE_MAX = limits.HANDLE_MAX
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()./ -]{3,40}$")
PERSON_FIELDS = ("name", "team", "email", "phone", "roles", "removed")


@dataclass(frozen=True)
class Person(JsonRecord):
    handle: str
    name: str
    team: str = ""
    email: str = ""
    phone: str = ""
    roles: tuple[str, ...] = ()  # role keys this person can take
    removed: bool = field(default=False, metadata=json_field(omit=True))

    @property
    def label(self) -> str:
        return f"{self.name} (@{self.handle})" if self.name else f"@{self.handle}"

    def matches(self, text: str) -> bool:
        """Type-ahead: does ``text`` start the name, any word of it, or the handle?"""
        wanted = text.strip().lower().lstrip("@")
        if not wanted:
            return True
        words = [self.name.lower(), *self.name.lower().split(), self.handle]
        return any(w.startswith(wanted) for w in words)


def clean_handle(text: str) -> str:
    handle = (text or "").strip().lstrip("@").lower()
    if not handle:
        raise ValidationError("A handle must not be empty.")
    if len(handle) > HANDLE_MAX:
        raise ValidationError(f"The handle {handle[:20]!r}… is longer than {HANDLE_MAX}.")
    if not _HANDLE.match(handle):
        raise ValidationError(
            f"The handle {text.strip()!r} may use only letters, digits, '.', '_' and '-'."
        )
    return handle


def clean_person(
    *,
    handle: str,
    name: str,
    team: str = "",
    email: str = "",
    phone: str = "",
    roles: Sequence[str] | str = (),
) -> Person:
    """A person as typed or imported, checked; role names are not resolved here."""
    handle = clean_handle(handle)
    name = clean_text(name, what="Name", limit=SHORT_MAX, required=True)
    team = clean_text(team, what="Team", limit=SHORT_MAX)
    email = clean_text(email, what="E-mail", limit=SHORT_MAX)
    if email and not _EMAIL.match(email):
        raise ValidationError(f"{email!r} is not an e-mail address.")
    phone = clean_text(phone, what="Phone", limit=SHORT_MAX)
    if phone and not _PHONE.match(phone):
        raise ValidationError(f"{phone!r} is not a phone number.")
    if isinstance(roles, str):
        roles = re.split(r"[;,|]", roles)
    role_list: list[str] = []
    for role in roles:
        text = clean_text(role, what="Role", limit=SHORT_MAX)
        if text and text not in role_list:
            role_list.append(text)
    return Person(handle, name, team, email, phone, tuple(role_list))


@dataclass
class CsvImport:
    """What a CSV file holds: the people to import and the rows refused, with reasons."""

    people: list[Person] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    encoding: str = "utf-8"

    def skipped_text(self) -> str:
        return "; ".join(f"line {line}: {reason}" for line, reason in self.skipped)


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in (UTF-8, BOM or not; Latin-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "The file starts with a UTF-8 mark but is not UTF-8 text (byte "
                f"{exc.start + 4:,}); save it as CSV UTF-8."
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ValidationError(
                "The file starts like UTF-16 text but is not; save it as CSV UTF-8."
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def parse_people_csv(data: bytes, *, resolve_role: Callable[[str], str] | None = None) -> CsvImport:
    """Read a people CSV; rows that cannot be imported are listed, never dropped silently.

    Raises:
        ValidationError: the file is empty or lacks a required column (nothing is imported).
    """
    text, encoding = decode_csv(data)
    if "\x00" in text:
        raise ValidationError("The file is not a CSV text file (it holds NUL bytes).")
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: an exported cell like '=x (see csv_cells) would otherwise
    # pass for a quote character.
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit() (131,072 characters)
        raise ValidationError(
            f"The CSV file cannot be read at line {reader.line_num}: {exc}. Nothing was imported."
        ) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ValidationError("The CSV file is empty: it needs a header row (name,handle,...).")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            f"The CSV file lacks the column(s) {', '.join(missing)}; its header is "
            f"{', '.join(h or '(blank)' for h in header)}. Expected: {', '.join(CSV_COLUMNS)}. "
            "Nothing was imported."
        )
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    result = CsvImport(encoding=encoding)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            at = index.get(name)
            return unescape_cell(row[at]) if at is not None and at < len(row) else ""

        try:
            person = clean_person(
                handle=cell("handle"),
                name=cell("name"),
                team=cell("team"),
                email=cell("email"),
                phone=cell("phone"),
                roles=cell("roles"),
            )
        except ValidationError as err:
            result.skipped.append((number, str(err)))
            continue
        if person.handle in seen:
            result.skipped.append(
                (number, f"duplicate handle @{person.handle} (first on line {seen[person.handle]})")
            )
            continue
        if resolve_role is not None:
            try:
                keys = tuple(dict.fromkeys(resolve_role(r) for r in person.roles))
            except ValidationError as err:
                result.skipped.append((number, str(err)))
                continue
            person = Person(**{**person.__dict__, "roles": keys})
        seen[person.handle] = number
        result.people.append(person)
    return result


def people_csv(people: Sequence[Person], role_names: dict[str, str] | None = None) -> str:
    """The directory as CSV text (UTF-8, header first); roles by name when names are given."""
    out = io.StringIO(newline="")
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in people:
        roles = [(role_names or {}).get(r, r) for r in p.roles]
        writer.writerow([p.name, p.handle, p.team, p.email, p.phone, ";".join(roles)])
    return out.getvalue()
