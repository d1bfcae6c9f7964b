"""The response team as data: the procedure's roles, who the severity needs, and role history.

The roles are read from the built-in procedure file (``core/procedures/seed.toml``). The
procedure's "Incident Response Team Structure" names a core team (Incident Commander,
Technical Lead, Communications Lead, and a Security Lead for security-related incidents) and an
extended team "as needed". Custom roles (Scribe, Customer Liaison ...) are data in the
workspace; here they are just more ``RoleDef`` values.

Who holds a role is a last-writer-wins register per (incident, role): every assignment,
handoff or release is one op, kept forever as the role's history. The rules, decided here:

* Required roles: each role's ``required_when`` conditions in the workspace's procedure file.
  The built-in one: every active incident needs an Incident Commander; P0 and P1 need the whole
  core team (IC, Technical Lead, Communications Lead); a security-related incident of any
  severity needs a Security Lead. Resolved or closed incidents need nobody. A loaded file's
  roles replace the built-in ones, and its conditions may name the type and custom fields.
* "Who held it at T" is the latest assignment made at or before T (ties by HLC, then node,
  exactly the register's order), or nobody if that assignment was a release.
* Two assignments that replaced the same previous assignment (same ``base``) were made without
  seeing each other: a concurrent handoff. The register keeps one (last writer wins); the other
  stays in the history, marked, so the team sees the conflict instead of losing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from commander.core import limits
from commander.core.clock import iso
from commander.core.errors import ValidationError
from commander.core.policy import Severity, Status
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure, Situation
from commander.core.procedure_situation import incident_situation
from commander.core.records_json import JsonRecord, json_computed, json_field


class RoleKind(StrEnum):
    CORE = "core"
    EXTENDED = "extended"
    CUSTOM = "custom"


@dataclass(frozen=True)
class RoleDef(JsonRecord):
    """One role of the response team."""

    key: str
    name: str
    kind: RoleKind
    description: str = ""
    exclusive: bool = False  # one person should hold it in one active incident at a time
    aliases: tuple[str, ...] = field(default=(), metadata=json_field(omit=True))


INCIDENT_COMMANDER = "incident_commander"
TECHNICAL_LEAD = "technical_lead"
COMMUNICATIONS_LEAD = "communications_lead"
SECURITY_LEAD = "security_lead"


def roles_of(procedure: Procedure) -> tuple[RoleDef, ...]:
    """A procedure file's roles, in its order."""
    return tuple(
        RoleDef(r.key, r.name, RoleKind(r.kind), r.description, r.exclusive, r.aliases)
        for r in procedure.roles
    )


_SEED_ROLES = roles_of(seed_procedure())
CORE_ROLES: tuple[RoleDef, ...] = tuple(r for r in _SEED_ROLES if r.kind is RoleKind.CORE)
EXTENDED_ROLES: tuple[RoleDef, ...] = tuple(r for r in _SEED_ROLES if r.kind is RoleKind.EXTENDED)

PROCEDURE_ROLES: tuple[RoleDef, ...] = CORE_ROLES + EXTENDED_ROLES
ROLE_NAME_MAX = limits.ROLE_NAME_MAX
_KEY_CHARS = re.compile(r"[^a-z0-9]+")


def role_key(name: str) -> str:
    """The stable key of a role name: ``Customer Liaison`` -> ``customer_liaison``."""
    key = _KEY_CHARS.sub("_", name.strip().lower()).strip("_")
    if not key:
        raise ValidationError(f"A role name needs letters or digits (got {name!r}).")
    return key


def custom_role(name: str, description: str = "") -> RoleDef:
    """A role added in the workspace, not in the procedure."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("A role name must not be empty.")
    if len(clean) > ROLE_NAME_MAX:
        raise ValidationError(f"A role name is limited to {ROLE_NAME_MAX} characters.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in clean):
        raise ValidationError("A role name must not contain control characters.")
    key = role_key(clean)
    for known in PROCEDURE_ROLES:
        if known.key == key:
            raise ValidationError(f"{known.name} is already a role of the procedure.")
    return RoleDef(key, clean, RoleKind.CUSTOM, description)


def find_role(text: str, roles: Sequence[RoleDef]) -> RoleDef:
    """A role by key, name or alias (``IC``, ``dba``, ``Incident Commander``), any case.

    Raises:
        ValidationError: no role matches; the message lists the roles there are.
    """
    wanted = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if wanted:
        for role in roles:
            spellings = {role.key.replace("_", " "), role.name.lower(), *role.aliases}
            if wanted in spellings:
                return role
    names = ", ".join(r.name for r in roles)
    raise ValidationError(f"Unknown role {text!r}: use one of {names} (or add a custom role).")


def required_roles(
    severity: Severity,
    *,
    security_related: bool,
    status: Status = Status.INVESTIGATING,
    procedure: Procedure | None = None,
    values: Mapping[str, Any] | None = None,
) -> list[str]:
    """The role keys the procedure expects filled now, in the order the roster shows them.

    Each role's ``required_when`` conditions in the workspace's procedure file (the built-in
    one by default) decide, against the incident's type and custom field ``values``.
    """
    procedure = procedure or seed_procedure()
    now = incident_situation(procedure, severity, status, security_related, values or {})
    return procedure.required_roles(now)


def role_changes(procedure: Procedure, before: Situation, after: Situation) -> str:
    """Which roles a change made needed or no longer needed, each with the condition that
    decided it (for the change's timeline entry)."""
    was, now = procedure.required_roles(before), procedure.required_roles(after)
    parts = []
    for spec in procedure.roles:
        if spec.key in now and spec.key not in was:
            why = next((w.why() for w in spec.required_when if w.holds(after)), "always")
            parts.append(f"Role needed: {spec.name}, because {why}")
        elif spec.key in was and spec.key not in now:
            parts.append(f"Role no longer needed: {spec.name}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Assignment(JsonRecord):
    """One op on a role: an assignment, a handoff (``previous`` set) or a release (no person).

    ``superseded`` is True when another assignment made without seeing this one (same base)
    won the register: the losing side of a concurrent handoff.
    """

    op_id: str
    incident_id: str = field(metadata=json_field(omit=True))
    role: str
    person: str | None  # the handle; None: released
    person_name: str = field(metadata=json_field(empty_as_none=True))
    at: datetime
    hlc: str = field(metadata=json_field(omit=True))
    node_id: str = field(metadata=json_field(omit=True))
    by: str
    note: str = field(default="", metadata=json_field(empty_as_none=True))
    base: str | None = field(default=None, metadata=json_field(omit=True))
    # handle of the holder it replaced, as the writer saw it
    previous: str | None = field(default=None, metadata=json_field(before="at"))
    previous_name: str = field(default="", metadata=json_field(omit=True))
    concurrent: bool = False
    superseded: bool = False

    JSON_COMPUTED = (json_computed("kind", before="concurrent"),)

    @property
    def order(self) -> tuple[str, str]:
        return (self.hlc, self.node_id)

    @property
    def is_release(self) -> bool:
        return self.person is None

    @property
    def is_handoff(self) -> bool:
        return self.person is not None and self.previous is not None

    @property
    def kind(self) -> str:
        """``release``, ``handoff`` or ``assign``."""
        return "release" if self.is_release else "handoff" if self.is_handoff else "assign"

    def holder_text(self) -> str:
        return person_label(self.person, self.person_name)

    def previous_text(self) -> str:
        return person_label(self.previous, self.previous_name)


def person_label(handle: str | None, name: str = "") -> str:
    if handle is None:
        return "unassigned"
    if name and name.lower() != handle.lower():
        return f"{name} (@{handle})"
    return f"@{handle}"


def change_text(role_name: str, before: str | None, after: str | None) -> str:
    """The timeline's line for a role change: ``Incident Commander: A → B``."""
    old = before or "unassigned"
    new = after or "unassigned"
    return f"{role_name}: {old} → {new}"


def mark_concurrency(history: Iterable[Assignment]) -> list[Assignment]:
    """The history in register order, with concurrent handoffs marked.

    Assignments of one role sharing a ``base`` were made without seeing each other; all but
    the last writer among them are ``superseded`` (unless a later assignment built on them).
    """
    ordered = sorted(history, key=lambda a: (a.role, a.order))
    by_base: dict[tuple[str, str | None], list[Assignment]] = {}
    for item in ordered:
        by_base.setdefault((item.role, item.base), []).append(item)
    built_on = {a.base for a in ordered if a.base is not None}
    result: list[Assignment] = []
    for item in ordered:
        siblings = by_base[(item.role, item.base)]
        if len(siblings) < 2:
            result.append(item)
            continue
        winner = max(siblings, key=lambda a: a.order)
        superseded = item is not winner and item.op_id not in built_on
        result.append(_replace(item, concurrent=True, superseded=superseded))
    return sorted(result, key=lambda a: (a.at, a.order))


def _replace(item: Assignment, **changes: Any) -> Assignment:
    return Assignment(**{**item.__dict__, **changes})


def current_holders(history: Iterable[Assignment]) -> dict[str, Assignment]:
    """Per role, the assignment holding the register (last writer by HLC, then node)."""
    result: dict[str, Assignment] = {}
    for item in history:
        held = result.get(item.role)
        if held is None or item.order > held.order:
            result[item.role] = item
    return result


def holder_at(history: Iterable[Assignment], role: str, when: datetime) -> Assignment | None:
    """Who held ``role`` at ``when``: the latest assignment at or before it; None if nobody.

    A release is an assignment of nobody, so it answers None too.
    """
    latest: Assignment | None = None
    for item in history:
        if item.role != role or item.at > when:
            continue
        if latest is None or (item.at, item.order) > (latest.at, latest.order):
            latest = item
    if latest is None or latest.is_release:
        return None
    return latest


def conflicts(history: Iterable[Assignment]) -> list[list[Assignment]]:
    """Groups of concurrent assignments of one role (each group: two or more, register order)."""
    groups: dict[tuple[str, str | None], list[Assignment]] = {}
    for item in history:
        if item.concurrent:
            groups.setdefault((item.role, item.base), []).append(item)
    return [sorted(g, key=lambda a: a.order) for g in groups.values() if len(g) > 1]


@dataclass(frozen=True)
class RosterLine:
    """One row of the roster panel: a role, who holds it since when, whether it is expected."""

    role: RoleDef
    holder: Assignment | None  # None or a release: unassigned
    required: bool

    @property
    def missing(self) -> bool:
        return self.required and (self.holder is None or self.holder.is_release)

    @property
    def assigned(self) -> bool:
        return self.holder is not None and not self.holder.is_release

    # Hand-written: flattens the role and the holder into one line.
    def to_json(self) -> dict[str, Any]:
        held = self.holder if self.assigned else None
        return {
            "role": self.role.key,
            "name": self.role.name,
            "kind": self.role.kind.value,
            "required": self.required,
            "missing": self.missing,
            "holder": held.person if held else None,
            "holder_name": (held.person_name or None) if held else None,
            "since": iso(held.at) if held else None,
            "note": (held.note or None) if held else None,
        }


def roster_lines(
    roles: Sequence[RoleDef],
    holders: dict[str, Assignment],
    required: Sequence[str],
) -> list[RosterLine]:
    """Every core role, then the other roles in use (assigned now or ever), in role order."""
    lines: list[RosterLine] = []
    for role in roles:
        held = holders.get(role.key)
        if role.kind is RoleKind.CORE or held is not None or role.key in required:
            lines.append(RosterLine(role, held, role.key in required))
    return lines


def missing_roles(lines: Sequence[RosterLine]) -> list[RoleDef]:
    return [line.role for line in lines if line.missing]
