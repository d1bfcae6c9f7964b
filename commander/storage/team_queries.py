"""Reading the team tables: the roles a workspace knows (``role_def``) and who held which role
when (``role_assignment``); ``apply_team`` writes them.

The roster and the people directory (which roles a person can take) both read the roles, so
these live below both services.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from commander.core.clock import from_ms
from commander.core.ops import Entity, Field
from commander.core.roles import PROCEDURE_ROLES, Assignment, RoleDef, RoleKind, mark_concurrency
from commander.storage.tables import incident_table as incident
from commander.storage.tables import register_table as register
from commander.storage.tables import role_assignment_table as assignment
from commander.storage.tables import role_def_table as role_def

_a = assignment.c
_ASSIGNMENT_COLUMNS = (
    _a.op_id, _a.incident_id, _a.role, _a.person, _a.person_name, _a.at_ms, _a.hlc, _a.node_id,
    _a.author, _a.note, _a.base, _a.previous, _a.previous_name,
)  # fmt: skip


def current_roles(
    conn: Connection, procedure_roles: Sequence[RoleDef] = PROCEDURE_ROLES
) -> list[RoleDef]:
    """The procedure's roles, then the workspace's custom roles by name."""
    r = role_def.c
    rows = conn.execute(
        select(r.key, r.name, r.description)
        .where(r.removed == 0, r.name != "")
        .order_by(r.name.collate("NOCASE"))
    )
    custom = [RoleDef(key, name, RoleKind.CUSTOM, text) for key, name, text in rows]
    return [*procedure_roles, *custom]


def every_role_by_key(
    conn: Connection, procedure_roles: Sequence[RoleDef] = ()
) -> dict[str, RoleDef]:
    """Every role ever known: the loaded procedure's, the built-in ones, and custom roles,
    removed ones included (old history names them)."""
    rows = conn.execute(select(role_def.c.key, role_def.c.name, role_def.c.description))
    found = {r.key: r for r in procedure_roles}
    for role in PROCEDURE_ROLES:
        found.setdefault(role.key, role)
    for key, name, description in rows:
        found.setdefault(key, RoleDef(key, name or key, RoleKind.CUSTOM, description))
    return found


def role_history(conn: Connection, incident_id: str) -> list[Assignment]:
    """Every assignment, handoff and release of an incident, oldest first, concurrent ones
    marked."""
    rows = conn.execute(
        select(*_ASSIGNMENT_COLUMNS)
        .where(_a.incident_id == incident_id)
        .order_by(_a.at_ms, _a.hlc, _a.node_id)
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


def holding_elsewhere(conn: Connection, role: str, handle: str, incident_id: str) -> list[str]:
    """References of other active incidents where ``handle`` holds ``role`` now."""
    query = (
        select(incident.c.ref)
        .select_from(register)
        .join(assignment, _a.op_id == register.c.op_id)
        .join(incident, incident.c.id == _a.incident_id)
        .where(
            register.c.entity == Entity.ROLE,
            register.c.field == Field.HOLDER,
            _a.role == role,
            _a.person == handle,
            _a.incident_id != incident_id,
            incident.c.status.not_in(("resolved", "closed")),
        )
        .order_by(incident.c.ref)
    )
    return list(conn.scalars(query))
