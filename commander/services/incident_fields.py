"""An incident's type and custom fields, as the workspace's procedure declares them.

Each is a register in the op log (entity ``incident_field``, id ``<incident>:<key>``; the
type's key is ``type``), read back in HLC order, so the last writer wins on every replica and
the whole history stays: the deadline engine sees each value from when it was set. Setting
one re-evaluates the procedure's conditions, and the timeline entry says which deadlines that
added or retired, and why.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from commander.core.deadline_facts import TYPE_FIELD, IncidentFacts
from commander.core.deadline_rules import View
from commander.core.deadlines import Deadline
from commander.core.errors import ValidationError
from commander.core.ids import new_id
from commander.core.ops import register_change
from commander.core.policy import Severity
from commander.core.procedure_checklists import ChecklistConditions
from commander.core.procedure_fields import HeaderField, check_value, header_fields, shown
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure, Situation
from commander.core.procedure_situation import incident_situation
from commander.core.records import ChangeSet, Incident
from commander.core.roles import role_changes
from commander.services.checklists import ChecklistService
from commander.services.deadlines import DeadlineService, deadline_service_for
from commander.services.procedures import current_procedure
from commander.services.workspace import Workspace
from commander.storage import queries
from commander.storage.incident_fields import ENTITY, FIELD, current_values, incident_fields
from commander.storage.oplog import OpDraft, system_entry


class IncidentFieldService:
    """Sets an incident's type and custom fields, checked against the procedure."""

    def __init__(self, workspace: Workspace, deadlines: DeadlineService) -> None:
        self._ws = workspace
        self._deadlines = deadlines

    def values(self, incident_id: str) -> dict[str, Any]:
        with self._ws.read() as conn:
            if not queries.incident_exists(conn, incident_id):
                raise ValidationError(f"No incident with id {incident_id}.")
            return current_values(incident_fields(conn, incident_id))

    def header(self, incident: Incident) -> list[HeaderField]:
        """What the window's header shows of ``incident``'s type and fields right now."""
        with self._ws.read() as conn:
            values = current_values(incident_fields(conn, incident.id))
            procedure = current_procedure(conn).procedure
        now = incident_situation(
            procedure, incident.severity, incident.status, incident.security_related, values
        )
        return header_fields(procedure, values, now)

    def set(self, incident_id: str, key: str, text: str | None) -> ChangeSet:
        """Set ``key`` (a field of the procedure, or ``type``) to ``text``; None or "" empties it.

        Raises:
            ValidationError: an unknown key or a value the field does not take (one sentence).
        """
        facts = self._deadlines.facts(incident_id)  # also reads the workspace's procedure
        procedure = self._deadlines.procedure
        value = check_value(procedure, key, text)
        now = self._ws.clock.now()
        before = self._deadlines.compute(facts, now)
        changed = replace(facts, field_changes=[*facts.field_changes, (now, key, value)])
        after = self._deadlines.compute(changed, now)
        event = f"{shown(procedure, key)} set to {_words(procedure, key, value)}"
        if value is None:
            event = f"{shown(procedure, key)} emptied"
        action = deadline_changes(before, after, View(changed, now, procedure))
        roles = _procedure_changes(self._ws, incident_id, procedure, facts, changed, now)
        action = "; ".join(part for part in (action, roles) if part)
        with self._ws.write() as conn:
            if not queries.incident_exists(conn, incident_id):
                raise ValidationError(f"No incident with id {incident_id}.")
            drafts = [
                OpDraft(
                    incident_id, ENTITY, f"{incident_id}:{key}", FIELD, register_change(value, None)
                ),
                system_entry(incident_id, now, event, action, self._ws.author, new_id()),
            ]
            ops = self._ws.append(conn, drafts)
        return ChangeSet.of(ops)


def severity_deadline_changes(
    workspace: Workspace, incident_id: str, severity: Severity, at: datetime
) -> str:
    """Which deadlines and roles a severity change at ``at`` adds or retires under a loaded
    procedure.

    "" under the built-in procedure: its severity entry reads as it always has (the response
    time and escalation the level asks for), and its deadlines panel shows the rest.
    """
    service = deadline_service_for(workspace)
    facts = service.facts(incident_id)
    if service.procedure is seed_procedure():
        return ""
    before = service.compute(facts, at)
    changed = replace(facts, severity_changes=[*facts.severity_changes, (at, severity)])
    after = service.compute(changed, at)
    deadlines = deadline_changes(before, after, View(changed, at, service.procedure))
    roles = _procedure_changes(workspace, incident_id, service.procedure, facts, changed, at)
    return "; ".join(part for part in (deadlines, roles) if part)


def _procedure_changes(
    workspace: Workspace,
    incident_id: str,
    procedure: Procedure,
    before: IncidentFacts,
    after: IncidentFacts,
    at: datetime,
) -> str:
    """Which of the procedure's roles a change made needed, or no longer needed, and which
    checklists and steps it added or retired, each with why."""
    with workspace.read() as conn:
        incident = queries.get_incident(conn, incident_id)
    flag = bool(incident and incident.security_related)
    checklists = ChecklistService(workspace).checklists()

    def situation(facts: IncidentFacts) -> Situation:
        view = View(facts, at, procedure)
        return incident_situation(
            procedure, view.severity, view.status, flag, {**view.values, TYPE_FIELD: view.type}
        )

    was, now = situation(before), situation(after)
    steps = ChecklistConditions.of(procedure).changes(checklists, was, now)
    return "; ".join(part for part in (role_changes(procedure, was, now), steps) if part)


def _words(procedure: Procedure, key: str, value: Any) -> str:
    if key == TYPE_FIELD:
        spec = next((t for t in procedure.types if t.key == value), None)
        return spec.name if spec else str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def deadline_changes(before: list[Deadline], after: list[Deadline], view: View) -> str:
    """Which deadlines a change added or retired, each with the condition that decided it."""
    was = {str(d.key): d.applies for d in before}
    parts = []
    for deadline in after:
        key = str(deadline.key)
        if deadline.applies and not was.get(key, False):
            rule = view.procedure.rule_for(key, view.situation())
            why = rule.when.why() if rule is not None else "its condition holds"
            parts.append(f"Deadline added: {deadline.name}, because {why}")
        elif not deadline.applies and was.get(key, False):
            reason = deadline.reason_not_applicable or "its condition no longer holds"
            parts.append(f"Deadline retired: {deadline.name} ({reason[0].lower()}{reason[1:]})")
    return "; ".join(parts)
