"""The response team of an incident: role definitions, assignments, handoffs and the team.

Each assignment, handoff or release writes two ops in one transaction: the role register change
(whose every op is kept as the role's history) and the timeline entry that records it
("Incident Commander: Alice → Bob"). Custom roles are workspace-wide ops (no incident), one
register per field, so they sync and merge like everything else. The people who take the roles
live in the people directory (``services/people.py``).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from commander.core.clock import iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import (
    WORKSPACE_SCOPE,
    Entity,
    Field,
    register_change,
    role_entity_id,
)
from commander.core.people import Person
from commander.core.records import ChangeSet, Incident
from commander.core.roles import (
    INCIDENT_COMMANDER,
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
    missing_roles,
    required_roles,
    roles_of,
    roster_lines,
)
from commander.core.text import EVENT_MAX, clean_text
from commander.services.assignees import resolve_assignee
from commander.services.people import PeopleService
from commander.services.procedures import current_procedure
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.incident_fields import current_values, incident_fields
from commander.storage.oplog import OpDraft, register_holder
from commander.storage.team_queries import (
    current_roles,
    every_role_by_key,
    holding_elsewhere,
    role_history,
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

    # Hand-written: computed missing roles, history and conflict ids.
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
    added: Person | None = None  # not in the directory before: added with the assignment

    @property
    def added_text(self) -> str:
        """One sentence for a person added on the fly, empty otherwise."""
        if self.added is None:
            return ""
        return (
            f"{self.added.label} was added to the people directory; "
            "complete their details later (People…, or 'commander people add')."
        )


class RosterService:
    """Roles and the response team of incidents in one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._people = PeopleService(workspace)

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- roles ---------------------------------------------------------------------------

    def roles(self) -> list[RoleDef]:
        """The procedure's roles, then the workspace's custom roles by name."""
        with self._ws.read() as conn:
            return current_roles(conn, roles_of(current_procedure(conn).procedure))

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
            return every_role_by_key(conn, roles_of(current_procedure(conn).procedure))

    # -- the roster of an incident ----------------------------------------------------------

    def history(self, incident_id: str, role: str | None = None) -> builtins.list[Assignment]:
        """Every assignment, handoff and release, oldest first, concurrent ones marked."""
        with self._ws.read() as conn:
            found = role_history(conn, incident_id)
        if role is not None:
            key = self.role(role).key if role not in self._all_roles_by_key() else role
            found = [a for a in found if a.role == key]
        return found

    def roster(self, incident_id: str) -> Roster:
        with self._ws.read() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            history = role_history(conn, incident_id)
            procedure = current_procedure(conn).procedure
            values = current_values(incident_fields(conn, incident_id))
        holders = current_holders(history)
        required = required_roles(
            incident.severity,
            security_related=incident.security_related,
            status=incident.status,
            procedure=procedure,
            values=values,
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

        ``person`` is a handle, a name, "me" (this workspace's identity) or someone not in the
        directory yet, who is added to it in the same transaction (``AssignResult.added``).
        Holding an exclusive role (Incident Commander) in another active incident is allowed
        but warned about. Raises on an unknown role, an ambiguous name, or when they hold it
        already.
        """
        role_def = role if isinstance(role, RoleDef) else self.role(role)
        note = clean_text(note, what="Handoff note", limit=EVENT_MAX, multiline=True)
        if isinstance(person, Person):
            who, added = person, False
        else:
            assignee = resolve_assignee(self._people, person)
            who, added = assignee.person, assignee.added
        warnings: list[str] = []
        with self._ws.write() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            current = current_holders(role_history(conn, incident_id)).get(role_def.key)
            if current is not None and current.person == who.handle:
                raise ValidationError(f"{who.label} is already {role_def.name} of {incident.ref}.")
            if role_def.exclusive:
                for ref in holding_elsewhere(conn, role_def.key, who.handle, incident_id):
                    warnings.append(
                        f"{who.label} is also {role_def.name} of the active incident {ref}."
                    )
            if role_def.key not in who.roles and who.roles:
                warnings.append(f"{who.label} is not listed as able to take {role_def.name}.")
            if added:
                self._ws.append(conn, self._people.person_drafts(conn, who))
            assignment, changes = self._write_holder(conn, incident, role_def, who, note, current)
        return AssignResult(
            assignment,
            changes,
            warnings,
            ic_changed=role_def.key == INCIDENT_COMMANDER,
            added=who if added else None,
        )

    def release(self, incident_id: str, role: str | RoleDef, note: str = "") -> AssignResult:
        """Relieve the holder of ``role`` without a successor; the history keeps them."""
        role_def = role if isinstance(role, RoleDef) else self.role(role)
        note = clean_text(note, what="Note", limit=EVENT_MAX, multiline=True)
        with self._ws.write() as conn:
            incident = queries.get_incident(conn, incident_id)
            if incident is None:
                raise NotFoundError(f"No incident with id {incident_id}.")
            current = current_holders(role_history(conn, incident_id)).get(role_def.key)
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
        written = next(a for a in role_history(conn, incident.id) if a.op_id == ops[0].op_id)
        return written, ChangeSet.of(ops)

    def proposal(self, incident_id: str) -> TeamProposal:
        """ "Form response team": the roles the severity needs, who holds them, who could."""
        roster = self.roster(incident_id)
        people = self._people.people()
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

    # Hand-written: merges roster lines with candidates.
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
