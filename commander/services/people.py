"""The people directory: who can be given a role, how to reach them, CSV import and export.

People are workspace-wide ops (no incident), one register per field, so they sync and merge
like everything else. Removing someone only hides them here: the roles they held stay in every
incident's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from commander.core.errors import AmbiguousError, NotFoundError, ValidationError
from commander.core.limits import CSV_FILE_MAX, check_size
from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, register_change
from commander.core.people import (
    CsvImport,
    Person,
    clean_handle,
    clean_person,
    parse_people_csv,
    people_csv,
)
from commander.core.records import ChangeSet
from commander.core.roles import RoleDef, find_role, roles_of
from commander.services.procedures import current_procedure
from commander.services.workspace import Workspace
from commander.storage import people_queries
from commander.storage.oplog import OpDraft, register_holder
from commander.storage.team_queries import current_roles, every_role_by_key


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    encoding: str = "utf-8"

    def summary(self) -> str:
        text = (
            f"{len(self.created)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.skipped:
            rows = "; ".join(f"line {line}: {reason}" for line, reason in self.skipped)
            text += f"; {len(self.skipped)} row(s) skipped — {rows}"
        return text

    # Hand-written: skipped pairs become objects.
    def to_json(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
            "encoding": self.encoding,
        }


class PeopleService:
    """The people directory of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def workspace(self) -> Workspace:
        return self._ws

    def people(self, *, include_removed: bool = False) -> list[Person]:
        with self._ws.read() as conn:
            return people_queries.people(conn, include_removed=include_removed)

    def person(self, handle: str) -> Person:
        handle = clean_handle(handle)
        with self._ws.read() as conn:
            found = people_queries.person(conn, handle)
        if found is None or found.removed:
            raise NotFoundError(f"No one with the handle @{handle} in the people directory.")
        return found

    def find_person(self, text: str) -> Person:
        """A person by handle (``@alice``), full name, or a unique start of either.

        Raises:
            NotFoundError: nobody matches.
            AmbiguousError: several people match (they are named).
        """
        wanted = (text or "").strip()
        if not wanted:
            raise ValidationError("Name a person by handle or name.")
        people = self.people()
        key = wanted.lstrip("@").lower()
        for person in people:
            if person.handle == key:
                return person
        exact = [p for p in people if p.name.lower() == wanted.lower()]
        if len(exact) == 1:
            return exact[0]
        found = exact or [p for p in people if p.matches(wanted)]
        if not found:
            raise NotFoundError(
                f"No one in the people directory matches {wanted!r}; add them first "
                "(People… in the app, or 'commander people add')."
            )
        if len(found) > 1:
            names = ", ".join(p.label for p in found[:5])
            raise AmbiguousError(f"{wanted!r} matches {len(found)} people ({names}); be specific.")
        return found[0]

    def save_person(self, person: Person) -> ChangeSet:
        """Add a person or change their details; only changed fields are written.

        People are workspace-wide, so the change set names no incident.
        """
        person = self._checked(person)
        with self._ws.write() as conn:
            self._ws.append(conn, self._person_drafts(conn, person))
        return ChangeSet()

    def remove_person(self, handle: str) -> Person:
        """Take someone out of the directory; their past roles stay in every history."""
        person = self.person(handle)
        with self._ws.write() as conn:
            base = register_holder(conn, Entity.PERSON, person.handle, Field.REMOVED)
            self._ws.append(
                conn,
                [
                    OpDraft(
                        WORKSPACE_SCOPE,
                        Entity.PERSON,
                        person.handle,
                        Field.REMOVED,
                        register_change(True, base),
                    )
                ],
            )
        return person

    def import_csv(self, data: bytes) -> ImportResult:
        """Import people from CSV bytes: new handles are added, known ones updated.

        Rows that cannot be imported (bad handle, duplicate handle in the file, unknown role,
        bad e-mail ...) are skipped and named in the result; a file without the required
        columns imports nothing and raises.
        """
        check_size(data, limit=CSV_FILE_MAX, what="The CSV file")
        roles = self._roles()
        parsed: CsvImport = parse_people_csv(data, resolve_role=lambda t: find_role(t, roles).key)
        result = ImportResult(skipped=list(parsed.skipped), encoding=parsed.encoding)
        with self._ws.write() as conn:
            drafts: list[OpDraft] = []
            for person in parsed.people:
                existing = people_queries.person(conn, person.handle)
                new_drafts = self._person_drafts(conn, person)
                if existing is None or existing.removed:
                    result.created.append(person.handle)
                elif new_drafts:
                    result.updated.append(person.handle)
                else:
                    result.unchanged.append(person.handle)
                drafts.extend(new_drafts)
            if drafts:
                self._ws.append(conn, drafts)
        return result

    def export_csv(self) -> str:
        with self._ws.read() as conn:
            loaded = roles_of(current_procedure(conn).procedure)
            names = {r.key: r.name for r in every_role_by_key(conn, loaded).values()}
        return people_csv(self.people(), names)

    def _roles(self) -> list[RoleDef]:
        with self._ws.read() as conn:
            return current_roles(conn, roles_of(current_procedure(conn).procedure))

    def _checked(self, person: Person) -> Person:
        roles = self._roles()
        checked = clean_person(
            handle=person.handle,
            name=person.name,
            team=person.team,
            email=person.email,
            phone=person.phone,
            roles=person.roles,
        )
        keys = tuple(dict.fromkeys(find_role(r, roles).key for r in checked.roles))
        return Person(**{**checked.__dict__, "roles": keys})

    def person_drafts(self, conn: Connection, person: Person) -> list[OpDraft]:
        """The ops that add ``person`` (checked) inside the caller's transaction: a role
        assignment adds someone new in the same transaction as the assignment."""
        return self._person_drafts(conn, self._checked(person))

    def _person_drafts(self, conn: Connection, person: Person) -> list[OpDraft]:
        existing = people_queries.person(conn, person.handle)
        wanted: list[tuple[str, object]] = [
            (Field.NAME, person.name),
            (Field.TEAM, person.team),
            (Field.EMAIL, person.email),
            (Field.PHONE, person.phone),
            (Field.ROLES, list(person.roles)),
        ]
        if existing is None or existing.removed:
            wanted.append((Field.REMOVED, False))
        drafts = []
        for name, value in wanted:
            if existing is not None and not existing.removed:
                have = list(existing.roles) if name == Field.ROLES else getattr(existing, name)
                if have == value:
                    continue
            base = register_holder(conn, Entity.PERSON, person.handle, name)
            drafts.append(
                OpDraft(
                    WORKSPACE_SCOPE,
                    Entity.PERSON,
                    person.handle,
                    name,
                    register_change(value, base),
                )
            )
        return drafts
