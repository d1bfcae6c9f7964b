"""Who a typed assignee is when the people directory does not know them yet.

At 3 a.m. a role must go to whoever is typed (a name, an ``@handle`` or "me"), not only to people
entered beforehand. Someone unknown is added to the directory on the fly with just a name and a
handle derived from what was typed; the rest (team, phone, e-mail) can be completed later.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from commander.core.errors import ValidationError
from commander.core.people import HANDLE_MAX, Person, clean_handle
from commander.core.text import SHORT_MAX, clean_text

ME_WORDS = frozenset({"me", "@me"})
"""What stands for the person at the keyboard (the workspace's identity)."""


def is_me(text: str) -> bool:
    return (text or "").strip().lower() in ME_WORDS


def handle_for(text: str, taken: Collection[str] = ()) -> str:
    """A valid, unused handle from a name or handle: "Kim Lee" -> ``kim.lee`` (``kim.lee2``
    when taken); letters outside ASCII lose their accents, others are dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    base = ".".join(words)[:HANDLE_MAX].strip(".") or "person"
    handle, number = base, 2
    while handle in taken:
        suffix = str(number)
        handle = base[: HANDLE_MAX - len(suffix)] + suffix
        number += 1
    return handle


def new_person(text: str, taken: Collection[str] = ()) -> Person:
    """The directory entry for someone typed but unknown.

    ``@kim`` keeps the handle as typed (and as the name, until completed); anything else is a
    name, and the handle is derived from it.

    Raises:
        ValidationError: nothing typed, an invalid ``@handle``, or an overlong name.
    """
    wanted = (text or "").strip()
    if not wanted:
        raise ValidationError("Name a person by handle or name.")
    if wanted.startswith("@"):
        handle = clean_handle(wanted)
        if handle in taken:
            raise ValidationError(f"@{handle} is taken; name them by that handle.")
        return Person(handle=handle, name=handle)
    name = clean_text(wanted, what="Name", limit=SHORT_MAX, required=True)
    return Person(handle=handle_for(name, taken), name=name)


def me_person(author: str, name: str) -> Person:
    """The person at the keyboard as a directory entry: the author as handle when it is one
    (``dokafor``), else a handle derived from it; the identity's name when known."""
    author = (author or "").strip()
    if not author:
        raise ValidationError("Set your name first (Settings, or --author) to assign 'me'.")
    try:
        handle = clean_handle(author)
    except ValidationError:
        handle = handle_for(author)
    return Person(handle=handle, name=(name or "").strip() or author)
