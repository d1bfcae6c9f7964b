"""The response team of an incident and the people directory: use cases for the UI and CLI.

Each assignment, handoff or release writes two ops in one transaction: the role register change
(whose every op is kept as the role's history) and the timeline entry that records it
("Incident Commander: Alice → Bob"). People and custom roles are workspace-wide ops (no
incident), one register per field, so they sync and merge like everything else.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from commander.core.clock import from_ms, iso
from commander.core.errors import AmbiguousError, NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import (
    WORKSPACE_SCOPE,
    Entity,
    Field,
    register_change,
    role_entity_id,
)
from commander.core.people import (
    CsvImport,
    Person,
    clean_handle,
    clean_person,
    parse_people_csv,
    people_csv,
)
from commander.core.records import ChangeSet, Incident
from commander.core.roles import (
    INCIDENT_COMMANDER,
    PROCEDURE_ROLES,
    Assignment,
    RoleDef,
    RoleKind,
    RosterLine,
    change_text,
    conflicts,
    current_holders,
    custom_role,
    find_role,
    holder_at,
    mark_concurrency,
    missing_roles,
    required_roles,
    roster_lines,
)
from commander.core.text import EVENT_MAX, clean_text
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.database import dbapi
from commander.storage.oplog import OpDraft, register_holder

_ASSIGNMENT_COLUMNS = (
    "op_id, incident_id, role, person, person_name, at_ms, hlc, node_id, author, note, base, "
    "previous, previous_name"
)


@dataclass(frozen=True)
class Roster:
    """An incident's response team as the roster panel and ``role list`` show it."""

    incident: Incident
    lines: list[RosterLine]
    history: list[Assignment]
    conflicts: list[list[Assignment]]

    @property
    def missing(self) -> list[RoleDef]:
        return missing_roles(self.lines)

    @property
    def missing_ic(self) -> bool:
        return any(role.key == INCIDENT_COMMANDER for role in self.missing)

    def line(self, role: str) -> RosterLine | None:
        return next((line for line in self.lines if line.role.key == role), None)

    def to_json(self) -> dict[str, object]:
        return {
            "incident": self.incident.ref,
            "security_related": self.incident.security_related,
            "roles": [line.to_json() for line in self.lines],
            "missing": [role.key for role in self.missing],
            "history": [a.to_json() for a in self.history],
            "conflicts": [[a.op_id for a in group] for group in self.conflicts],
        }


@dataclass(frozen=True)
class AssignResult:
    assignment: Assignment
    changes: ChangeSet
    warnings: list[str] = field(default_factory=list)
    ic_changed: bool = False


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

    def to_json(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
            "encoding": self.encoding,
        }


class RosterService:
    """Roles, people and the response team of incidents in one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- roles ---------------------------------------------------------------------------

    def roles(self) -> list[RoleDef]:
        """The procedure's roles, then the workspace's custom roles by name."""
        with self._ws.read() as conn:
            rows = (
                dbapi(conn)
                .execute(
                    "SELECT key, name, description FROM role_def WHERE removed = 0 AND name != '' "
                    "ORDER BY name COLLATE NOCASE"
                )
                .fetchall()
            )
        custom = [RoleDef(key, name, RoleKind.CUSTOM, text) for key, name, text in rows]
        return [*PROCEDURE_ROLES, *custom]

    def role(self, text: str) -> RoleDef:
        return find_role(text, self.roles())

    def add_role(self, name: str, description: str = "") -> RoleDef:
        """Add a custom role (Scribe, Customer Liaison ...); no code, synced like the rest."""
        role = custom_role(name, clean_text(description, what="Description", limit=EVENT_MAX))
        for known in self.roles():
            if known.key == role.key:
                raise ValidationError(f"The role {known.name} exists already.")
        values = ((Field.NAME, role.name), (Field.DESCRIPTION, role.description))
        with self._ws.write() as conn:
            drafts = [
                OpDraft(
                    WORKSPACE_SCOPE,
                    Entity.ROLE_DEF,
                    role.key,
                    name,
                    register_change(value, register_holder(conn, Entity.ROLE_DEF, role.key, name)),
                )
                for name, value in (*values, (Field.REMOVED, False))
            ]
            self._ws.append(conn, drafts)
        return role

    def remove_role(self, text: str) -> RoleDef:
        """Retire a custom role; its history in incidents stays."""
        role = self.role(text)
        if role.kind is not RoleKind.CUSTOM:
            raise ValidationError(f"{role.name} is a role of the procedure; it cannot be removed.")
        with self._ws.write() as conn:
            base = register_holder(conn, Entity.ROLE_DEF, role.key, Field.REMOVED)
            self._ws.append(
                conn,
                [
                    OpDraft(
                        WORKSPACE_SCOPE,
                        Entity.ROLE_DEF,
                        role.key,
                        Field.REMOVED,
                        register_change(True, base),
                    )
                ],
            )
        return role

    def _all_roles_by_key(self) -> dict[str, RoleDef]:
        """Every role ever known, removed custom roles included (old history names them)."""
        with self._ws.read() as conn:
            rows = dbapi(conn).execute("SELECT key, name, description FROM role_def").fetchall()
        found = {r.key: r for r in PROCEDURE_ROLES}
        for key, name, description in rows:
            found.setdefault(key, RoleDef(key, name or key, RoleKind.CUSTOM, description))
        return found

    # -- people --------------------------------------------------------------------------

    def people(self, *, include_removed: bool = False) -> list[Person]:
        with self._ws.read() as conn:
            return _people(conn, include_removed=include_removed)

    def person(self, handle: str) -> Person:
        handle = clean_handle(handle)
        with self._ws.read() as conn:
            found = _person(conn, handle)
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
        """Add a person or change their details; only changed fields are written."""
        person = self._checked(person)
        with self._ws.write() as conn:
            ops = self._ws.append(conn, self._person_drafts(conn, person))
        return _changes(ops)

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
        roles = self.roles()
        parsed: CsvImport = parse_people_csv(data, resolve_role=lambda t: find_role(t, roles).key)
        result = ImportResult(skipped=list(parsed.skipped), encoding=parsed.encoding)
        with self._ws.write() as conn:
            drafts: list[OpDraft] = []
            for person in parsed.people:
                existing = _person(conn, person.handle)
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
        names = {r.key: r.name for r in self._all_roles_by_key().values()}
        return people_csv(self.people(), names)

    def _checked(self, person: Person) -> Person:
        roles = self.roles()
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

    def _person_drafts(self, conn: Connection, person: Person) -> list[OpDraft]:
        existing = _person(conn, person.handle)
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

    # -- the roster of an incident ----------------------------------------------------------

    def history(self, incident_id: str, role: str | None = None) -> builtins.list[Assignment]:
        """Every assignment, handoff and release, oldest first, concurrent ones marked."""
        with self._ws.read() as conn:
            found = _history(conn, incident_id)
        if role is not None:
            key = self.role(role).key if role not in self._all_roles_by_key() else role
            found = [a for a in found if a.role == key]
        return found

    def roster(self, incident_id: str) -> Roster:
        with self._ws.read() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            history = _history(conn, incident_id)
        holders = current_holders(history)
        required = required_roles(
            incident.severity, security_related=incident.security_related, status=incident.status
        )
        roles = self.roles()
        known = {r.key for r in roles}
        every = self._all_roles_by_key()
        retired = [r for k, r in every.items() if k in holders and k not in known]
        lines = roster_lines([*roles, *retired], holders, required)
        return Roster(incident, lines, history, conflicts(history))

    def holder_at(self, incident_id: str, role: str, when: datetime) -> Assignment | None:
        """Who held ``role`` at ``when`` ("who was IC at 10:42?")."""
        key = self.role(role).key
        return holder_at(self.history(incident_id), key, when)

    def assign(
        self, incident_id: str, role: str | RoleDef, person: str | Person, note: str = ""
    ) -> AssignResult:
        """Give ``role`` to ``person``: a first assignment, or a handoff from the holder.

        Holding an exclusive role (Incident Commander) in another active incident is allowed
        but warned about. Raises on an unknown role or person, or when they hold it already.
        """
        role_def = role if isinstance(role, RoleDef) else self.role(role)
        who = person if isinstance(person, Person) else self.find_person(person)
        note = clean_text(note, what="Handoff note", limit=EVENT_MAX, multiline=True)
        warnings: list[str] = []
        with self._ws.write() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            current = current_holders(_history(conn, incident_id)).get(role_def.key)
            if current is not None and current.person == who.handle:
                raise ValidationError(f"{who.label} is already {role_def.name} of {incident.ref}.")
            if role_def.exclusive:
                for ref in _holding_elsewhere(conn, role_def.key, who.handle, incident_id):
                    warnings.append(
                        f"{who.label} is also {role_def.name} of the active incident {ref}."
                    )
            if role_def.key not in who.roles and who.roles:
                warnings.append(f"{who.label} is not listed as able to take {role_def.name}.")
            assignment, changes = self._write_holder(conn, incident, role_def, who, note, current)
        return AssignResult(
            assignment, changes, warnings, ic_changed=role_def.key == INCIDENT_COMMANDER
        )

    def release(self, incident_id: str, role: str | RoleDef, note: str = "") -> AssignResult:
        """Relieve the holder of ``role`` without a successor; the history keeps them."""
        role_def = role if isinstance(role, RoleDef) else self.role(role)
        note = clean_text(note, what="Note", limit=EVENT_MAX, multiline=True)
        with self._ws.write() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            current = current_holders(_history(conn, incident_id)).get(role_def.key)
            if current is None or current.is_release:
                raise ValidationError(f"No one holds {role_def.name} in {incident.ref}.")
            assignment, changes = self._write_holder(conn, incident, role_def, None, note, current)
        return AssignResult(assignment, changes, ic_changed=role_def.key == INCIDENT_COMMANDER)

    def _write_holder(
        self,
        conn: Connection,
        incident: Incident,
        role: RoleDef,
        who: Person | None,
        note: str,
        current: Assignment | None,
    ) -> tuple[Assignment, ChangeSet]:
        now = self._ws.clock.now()
        entity_id = role_entity_id(incident.id, role.key)
        previous = current if current is not None and not current.is_release else None
        value = {
            "person": who.handle if who else None,
            "name": who.name if who else "",
            "previous": previous.person if previous else None,
            "previous_name": previous.person_name if previous else "",
            "note": note,
            "at": iso(now),
        }
        base = register_holder(conn, Entity.ROLE, entity_id, Field.HOLDER)
        event = change_text(
            role.name,
            _short_name(previous.person, previous.person_name) if previous else None,
            _short_name(who.handle, who.name) if who else None,
        )
        action = f"Handoff note: {note}" if note and previous and who else note
        ops = self._ws.append(
            conn,
            [
                OpDraft(
                    incident.id,
                    Entity.ROLE,
                    entity_id,
                    Field.HOLDER,
                    register_change(value, base),
                ),
                OpDraft(
                    incident.id,
                    Entity.ENTRY,
                    new_id(),
                    Field.CREATE,
                    {
                        "occurred_at": iso(now),
                        "event": event,
                        "action": action,
                        "owner": self._ws.author,
                        "kind": "system",
                    },
                ),
            ],
        )
        written = next(a for a in _history(conn, incident.id) if a.op_id == ops[0].op_id)
        return written, _changes(ops)

    def proposal(self, incident_id: str) -> TeamProposal:
        """ "Form response team": the roles the severity needs, who holds them, who could."""
        roster = self.roster(incident_id)
        people = self.people()
        items = []
        for line in roster.lines:
            if not line.required:
                continue
            candidates = [p for p in people if line.role.key in p.roles]
            items.append(ProposalItem(line, candidates))
        return TeamProposal(roster, items)


@dataclass(frozen=True)
class ProposalItem:
    line: RosterLine
    candidates: list[Person]


@dataclass(frozen=True)
class TeamProposal:
    roster: Roster
    items: list[ProposalItem]

    @property
    def missing(self) -> list[RoleDef]:
        return [item.line.role for item in self.items if item.line.missing]

    def to_json(self) -> dict[str, object]:
        return {
            "incident": self.roster.incident.ref,
            "severity": self.roster.incident.severity.value,
            "security_related": self.roster.incident.security_related,
            "roles": [
                {
                    **item.line.to_json(),
                    "candidates": [p.handle for p in item.candidates],
                }
                for item in self.items
            ],
            "missing": [role.key for role in self.missing],
        }


def _short_name(handle: str | None, name: str) -> str:
    return name or (f"@{handle}" if handle else "unassigned")


def _changes(ops) -> ChangeSet:  # type: ignore[no-untyped-def]
    changes = ChangeSet()
    for op in ops:
        if op.incident_id != WORKSPACE_SCOPE:
            changes.add(op.incident_id, op.entity, op.entity_id)
    return changes


def _history(conn: Connection, incident_id: str) -> list[Assignment]:
    rows = (
        dbapi(conn)
        .execute(
            f"SELECT {_ASSIGNMENT_COLUMNS} FROM role_assignment WHERE incident_id = ? "
            "ORDER BY at_ms, hlc, node_id",
            (incident_id,),
        )
        .fetchall()
    )
    return mark_concurrency(
        Assignment(
            op_id=op_id,
            incident_id=inc,
            role=role,
            person=person,
            person_name=person_name,
            at=from_ms(at_ms),
            hlc=hlc,
            node_id=node_id,
            by=author,
            note=note,
            base=base,
            previous=previous,
            previous_name=previous_name,
        )
        for (
            op_id,
            inc,
            role,
            person,
            person_name,
            at_ms,
            hlc,
            node_id,
            author,
            note,
            base,
            previous,
            previous_name,
        ) in rows
    )


def _holding_elsewhere(conn: Connection, role: str, handle: str, incident_id: str) -> list[str]:
    """References of other active incidents where ``handle`` holds ``role`` now."""
    rows = (
        dbapi(conn)
        .execute(
            "SELECT incident.ref FROM register "
            "JOIN role_assignment ra ON ra.op_id = register.op_id "
            "JOIN incident ON incident.id = ra.incident_id "
            "WHERE register.entity = ? AND register.field = ? AND ra.role = ? "
            "AND ra.person = ? AND ra.incident_id != ? "
            "AND incident.status NOT IN ('resolved', 'closed') ORDER BY incident.ref",
            (Entity.ROLE, Field.HOLDER, role, handle, incident_id),
        )
        .fetchall()
    )
    return [row[0] for row in rows]


def _person_row(row: Sequence[object]) -> Person:
    handle, name, team, email, phone, roles, removed = row
    return Person(
        handle=str(handle),
        name=str(name),
        team=str(team),
        email=str(email),
        phone=str(phone),
        roles=tuple(json.loads(str(roles) or "[]")),
        removed=bool(removed),
    )


_PERSON_SELECT = "SELECT handle, name, team, email, phone, roles, removed FROM person"


def _people(conn: Connection, *, include_removed: bool) -> list[Person]:
    sql = _PERSON_SELECT + ("" if include_removed else " WHERE removed = 0")
    rows = dbapi(conn).execute(sql + " ORDER BY name COLLATE NOCASE, handle").fetchall()
    return [_person_row(row) for row in rows]


def _person(conn: Connection, handle: str) -> Person | None:
    row = dbapi(conn).execute(_PERSON_SELECT + " WHERE handle = ?", (handle,)).fetchone()
    return _person_row(row) if row else None
