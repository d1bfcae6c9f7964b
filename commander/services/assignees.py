"""Resolve what was typed as a role's holder: someone in the directory, "me", or someone new.

The roster service writes a new person in the same transaction as the assignment, so an
assignment never names a person the directory lacks, and a refused assignment adds nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from commander.config import load_identity
from commander.core.assignees import is_me, me_person, new_person
from commander.core.errors import NotFoundError, ValidationError
from commander.core.people import Person
from commander.services.people import PeopleService


@dataclass(frozen=True)
class Assignee:
    """Who takes the role; ``added`` when they are not in the directory yet."""

    person: Person
    added: bool = False


def resolve_assignee(people: PeopleService, text: str) -> Assignee:
    """The person ``text`` names; an unknown name or ``@handle`` becomes a new person.

    Raises:
        AmbiguousError: several people match (they are named).
        ValidationError: nothing typed, or nothing a person could be made of.
    """
    directory = people.people(include_removed=True)
    active = [p for p in directory if not p.removed]
    if is_me(text):
        return _me(people, active)
    try:
        return Assignee(people.find_person(text))
    except NotFoundError:
        pass
    wanted = text.strip()
    taken = {p.handle for p in (active if wanted.startswith("@") else directory)}
    return Assignee(new_person(wanted, taken), added=True)


def _me(people: PeopleService, active: list[Person]) -> Assignee:
    """The identity this workspace writes as: by handle, else by a unique exact name."""
    ws = people.workspace
    try:
        identity = load_identity(ws.data_dir)
    except ValidationError:  # a damaged settings file is reported in Settings, not here
        identity = None
    name = identity.name if identity is not None and identity.author == ws.author else ""
    candidate = me_person(ws.author, name)
    for person in active:
        if person.handle == candidate.handle:
            return Assignee(person)
    for wanted in {ws.author.strip().lower(), name.strip().lower()} - {""}:
        named = [p for p in active if p.name.lower() == wanted]
        if len(named) == 1:
            return Assignee(named[0])
    return Assignee(candidate, added=True)
