"""Reading the team tables: the roles a workspace knows (``role_def``) and who held which role
when (``role_assignment``); ``apply_team`` writes them.

The roster and the people directory (which roles a person can take) both read the roles, so
these live below both services.
"""

from __future__ import annotations

from sqlalchemy import Connection

from commander.core.clock import from_ms
from commander.core.ops import Entity, Field
from commander.core.roles import PROCEDURE_ROLES, Assignment, RoleDef, RoleKind, mark_concurrency
from commander.storage.database import dbapi

_ASSIGNMENT_COLUMNS = (
    "op_id, incident_id, role, person, person_name, at_ms, hlc, node_id, author, note, base, "
    "previous, previous_name"
)


def current_roles(conn: Connection) -> list[RoleDef]:
    """The procedure's roles, then the workspace's custom roles by name."""
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


def every_role_by_key(conn: Connection) -> dict[str, RoleDef]:
    """Every role ever known, removed custom roles included (old history names them)."""
    rows = dbapi(conn).execute("SELECT key, name, description FROM role_def").fetchall()
    found = {r.key: r for r in PROCEDURE_ROLES}
    for key, name, description in rows:
        found.setdefault(key, RoleDef(key, name or key, RoleKind.CUSTOM, description))
    return found


def role_history(conn: Connection, incident_id: str) -> list[Assignment]:
    """Every assignment, handoff and release of an incident, oldest first, concurrent ones
    marked."""
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


def holding_elsewhere(conn: Connection, role: str, handle: str, incident_id: str) -> list[str]:
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
