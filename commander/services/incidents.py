"""Declaring and working incidents: the use cases behind the main window and the CLI.

Each public method is one user action and one transaction. Changes of severity, status and
phase write two ops together: the register change and the timeline entry that records it,
so the timeline reads like the procedure's Timeline table without extra work.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from commander.core import limits
from commander.core.clock import iso
from commander.core.errors import (
    AmbiguousError,
    NotFoundError,
    ValidationError,
)
from commander.core.ids import incident_ref, new_id
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import (
    Phase,
    Severity,
    Status,
    parse_phase,
    parse_status,
)
from commander.core.records import ChangeSet, Incident, TimelineEntry
from commander.core.severity_names import SeverityNames
from commander.core.text import (
    TITLE_MAX,
    clean_services,
    clean_text,
)
from commander.services.incident_fields import severity_deadline_changes
from commander.services.procedures import (
    current_procedure,
    declaration_values,
    refuse_unfilled,
    severity_names,
    severity_spec,
)
from commander.services.timeline_writes import TimelineWrites
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.incident_fields import ENTITY as FIELD_ENTITY
from commander.storage.incident_fields import FIELD
from commander.storage.oplog import OpDraft, register_holder, system_entry

IMPACT_MAX = limits.IMPACT_MAX
SETTABLE_FIELDS = (
    "title",
    "severity",
    "status",
    "phase",
    "impact",
    "services",
    "partners_affected",
    "security_related",
)
_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}


@dataclass(frozen=True)
class Declared:
    incident: Incident
    changes: ChangeSet


class IncidentService(TimelineWrites):
    """Use cases on incidents and their timelines (the timeline writes: ``timeline_writes``)."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- reading -------------------------------------------------------------------------

    def list(self) -> list[Incident]:
        with self._ws.read() as conn:
            return queries.list_incidents(conn)

    def severity_names(self) -> SeverityNames:
        """What the loaded procedure calls each severity level."""
        with self._ws.read() as conn:
            return severity_names(conn)

    def listing(self) -> tuple[builtins.list[Incident], SeverityNames]:
        """Every incident, and what the loaded procedure calls their severities."""
        with self._ws.read() as conn:
            return queries.list_incidents(conn), severity_names(conn)

    def get(self, incident_id: str) -> Incident:
        with self._ws.read() as conn:
            found = queries.get_incident(conn, incident_id)
        if found is None:
            raise NotFoundError(f"No incident with id {incident_id}.")
        return found

    def resolve(self, key: str) -> Incident:
        """Find an incident by id, reference, or a unique prefix of either.

        Raises:
            NotFoundError: nothing matches.
            AmbiguousError: the prefix matches several incidents (they are named).
        """
        if not key or not key.strip():
            raise ValidationError("Name an incident by its id or reference.")
        with self._ws.read() as conn:
            found = queries.match_incidents(conn, key)
        if not found:
            raise NotFoundError(f"No incident matches {key!r}.")
        if len(found) > 1:
            names = ", ".join(sorted(i.ref for i in found)[:5])
            raise AmbiguousError(
                f"{key!r} matches {len(found)} incidents ({names}); be more specific."
            )
        return found[0]

    def timeline(
        self,
        incident_id: str,
        *,
        last: int | None = None,
        before: tuple[int, str, str] | None = None,
    ) -> builtins.list[TimelineEntry]:
        """The timeline in order; ``last``/``before`` load it in two steps (first screen, rest)."""
        with self._ws.read() as conn:
            return queries.timeline(conn, incident_id, last=last, before=before)

    def entries(self, entry_ids: builtins.list[str]) -> builtins.list[TimelineEntry]:
        with self._ws.read() as conn:
            return queries.entries(conn, entry_ids)

    def last_seq(self) -> int:
        with self._ws.read() as conn:
            return queries.last_seq(conn)

    def changes_since(self, seq: int, skip: frozenset[int] | set[int] = frozenset()) -> ChangeSet:
        """What other writers did after ``seq``; ``skip`` names ops already applied (own)."""
        with self._ws.read() as conn:
            return queries.changes_since(conn, seq, skip)

    # -- declaring and changing ----------------------------------------------------------

    def declare(
        self,
        *,
        title: str,
        severity: Severity | str,
        services: Sequence[str] | str = (),
        impact: str = "",
        incident_id: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> Declared:
        """Declare an incident: the record, its reference, the first timeline entry and the
        custom ``fields`` given (a person declaring must give those the procedure requires at
        declaration; ``None``, the app declaring from an alert or an exercise, notes them)."""
        title = clean_text(title, what="Title", limit=TITLE_MAX, required=True)
        with self._ws.read() as conn:
            names = severity_names(conn)
            procedure = current_procedure(conn).procedure
        severity = severity if isinstance(severity, Severity) else names.parse(severity)
        values, missing = declaration_values(procedure, severity, fields)
        services_list = clean_services(services)
        impact = clean_text(impact, what="Customer impact", limit=IMPACT_MAX, multiline=True)
        now = self._ws.clock.now()
        incident_id = incident_id or new_id()
        with self._ws.write() as conn:
            ref = self._free_ref(conn, incident_id, now)
            summary = f"Incident declared: {names.label(severity)} — {title}"
            action = _response_action(conn, severity)
            if missing:
                still = ", ".join(f"{f.name} ({f.key})" for f in missing)
                action = f"{action}; still to fill in: {still}" if action else still
            field_ops = [
                OpDraft(
                    incident_id,
                    FIELD_ENTITY,
                    f"{incident_id}:{key}",
                    FIELD,
                    register_change(value, None),
                )
                for key, value in values.items()
            ]
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.INCIDENT,
                        incident_id,
                        Field.CREATE,
                        {
                            "ref": ref,
                            "title": title,
                            "severity": severity.value,
                            "status": Status.INVESTIGATING.value,
                            "phase": Phase.DETECTION.value,
                            "services": services_list,
                            "impact": impact,
                            "declared_at": iso(now),
                        },
                    ),
                    system_entry(incident_id, now, summary, action, self._ws.author, new_id()),
                    *field_ops,
                ],
            )
            incident = queries.get_incident(conn, incident_id)
        assert incident is not None
        return Declared(incident, ChangeSet.of(ops))

    def set_field(
        self, incident_id: str, field: str, value: str | bool | builtins.list[str]
    ) -> ChangeSet:
        """Change one field of the record (see ``SETTABLE_FIELDS``), logged on the timeline."""
        field = field.strip().lower()
        if field not in SETTABLE_FIELDS:
            raise ValidationError(
                f"Unknown field {field!r}: use one of {', '.join(SETTABLE_FIELDS)}."
            )
        incident = self.get(incident_id)
        new_value: str | bool | builtins.list[str]
        if field == "title":
            new_value = clean_text(str(value), what="Title", limit=TITLE_MAX, required=True)
            old, new, label = incident.title, new_value, "Title"
        elif field == "severity":
            with self._ws.read() as conn:
                names = severity_names(conn)
            sev = names.parse(str(value))
            new_value = sev.value
            old, new = names.key(incident.severity), names.key(sev)
            label = "Severity"
        elif field == "status":
            status = parse_status(str(value))
            new_value = status.value
            old, new, label = incident.status.label, status.label, "Status"
        elif field == "phase":
            phase = parse_phase(str(value))
            new_value = phase.value
            old, new, label = incident.phase.label, phase.label, "Phase"
        elif field == "impact":
            new_value = clean_text(
                str(value), what="Customer impact", limit=IMPACT_MAX, multiline=True
            )
            old, new, label = incident.impact or "—", new_value or "—", "Customer impact"
        elif field == "partners_affected":
            new_value = _parse_yes_no(value, what="Partners affected")
            old = "yes" if incident.partners_affected else "no"
            new = "yes" if new_value else "no"
            label = "Partner integrations affected"
        elif field == "security_related":
            new_value = _parse_yes_no(value, what="Security related")
            old = "yes" if incident.security_related else "no"
            new = "yes" if new_value else "no"
            label = "Security related"
        else:
            assert not isinstance(value, bool)
            new_value = clean_services(value)
            old = ", ".join(incident.services) or "—"
            new = ", ".join(new_value) or "—"
            label = "Services"
        if old == new:
            return ChangeSet()
        now = self._ws.clock.now()
        event = f"{label} changed: {old} → {new}"
        action = ""
        if field == "severity":
            event = f"Severity changed {old} → {new} ({names.name(sev)})"
            with self._ws.read() as conn:
                action = _response_action(conn, sev)
            added = severity_deadline_changes(self._ws, incident_id, sev, now)
            action = "; ".join(part for part in (action, added) if part)
        with self._ws.write() as conn:
            if field == "status" and incident.status.is_active and not status.is_active:
                refuse_unfilled(conn, incident_id, incident.severity, status)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.INCIDENT,
                        incident_id,
                        field,
                        register_change(
                            new_value,
                            register_holder(conn, Entity.INCIDENT, incident_id, field),
                        ),
                    ),
                    system_entry(incident_id, now, event, action, self._ws.author, new_id()),
                ],
            )
        return ChangeSet.of(ops)

    # -- helpers --------------------------------------------------------------------------

    def _free_ref(self, conn: Connection, incident_id: str, now: datetime) -> str:
        for salt in range(100):
            ref = incident_ref(incident_id, now, salt)
            if not queries.ref_exists(conn, ref):
                return ref
        raise ValidationError("Could not find a free incident reference.")  # pragma: no cover


def _response_action(conn: Connection, level: Severity) -> str:
    """What the loaded procedure asks for at this level, written beside a severity entry."""
    spec = severity_spec(conn, level)
    if spec is None:  # a level the file does not describe: the built-in procedure's words
        seed = level.level
        return f"Response within {seed.response_time_text.lower()}; {seed.escalation.lower()}"
    parts = (
        [f"Response within {spec.response_time_text.lower()}"] if spec.response_time_text else []
    )
    parts += [spec.escalation.lower()] if spec.escalation else []
    return "; ".join(parts)


def _parse_yes_no(value: object, *, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(f"{what}: say yes or no (got {value!r}).")
