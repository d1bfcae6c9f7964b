"""Runbook steps of an incident: commands filled from the record or from values asked once.

The app never runs a command; it fills it for the clipboard. A placeholder's value is stored
per incident as a register (so the next copy reuses it, on every laptop), and the record fills
what it knows (``<service>`` from the incident's one service). When the user says they ran a
command, one transaction logs "ran: <command>" as the action of a timeline entry and ticks the
step in its checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection

from commander.core.checklists import StepRef, step_title
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import Phase
from commander.core.records import ChangeSet
from commander.core.records_json import JsonRecord
from commander.core.runbooks import (
    Filled,
    check_name,
    check_value,
    destructive_reasons,
    fill,
    placeholders,
    values_from_incident,
)
from commander.services.checklists import (
    ChecklistService,
    changes_of,
    tick_draft,
)
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import runbook_queries
from commander.storage.oplog import OpDraft, register_holder, system_entry

SUGGESTIONS_MAX = 5


class Source:
    INCIDENT = "incident"  # filled from the record
    SAVED = "saved"  # asked once, stored for the incident
    MISSING = "missing"


@dataclass(frozen=True)
class Placeholder(JsonRecord):
    name: str
    value: str | None
    source: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunbookStep:
    """A step with a command, filled for one incident, with why it is destructive (if so)."""

    ref: StepRef
    filled: Filled
    placeholders: tuple[Placeholder, ...]
    reasons: tuple[str, ...]
    done: bool

    @property
    def destructive(self) -> bool:
        return bool(self.reasons)

    @property
    def text(self) -> str | None:
        """The command to copy, or None while a placeholder has no value."""
        return self.filled.text

    @property
    def missing(self) -> tuple[str, ...]:
        return self.filled.missing

    @property
    def title(self) -> str:
        """How the timeline names it: the step's text, or its checklist when the text is the
        command itself."""
        return step_title(self.ref.checklist, self.ref.step)

    # Hand-written: flattens the step with computed command and missing placeholders.
    def to_json(self) -> dict[str, Any]:
        step = self.ref.step
        return {
            "number": self.ref.number,
            "key": step.key,
            "checklist": self.ref.checklist.title,
            "phase": self.ref.checklist.phase.value,
            "text": step.text,
            "note": step.note,
            "template": step.command,
            "command": self.text,
            "preview": self.filled.preview,
            "missing": list(self.missing),
            "placeholders": [p.to_json() for p in self.placeholders],
            "destructive": self.destructive,
            "reasons": list(self.reasons),
            "done": self.done,
        }


class RunbookService:
    """The runbook commands of an incident and the values that fill them."""

    def __init__(self, workspace: Workspace, checklists: ChecklistService | None = None) -> None:
        self._ws = workspace
        self._checklists = checklists or ChecklistService(workspace)
        self._incidents = IncidentService(workspace)

    @property
    def workspace(self) -> Workspace:
        return self._ws

    def steps(self, incident_id: str, phase: Phase | None = None) -> list[RunbookStep]:
        progress = self._checklists.progress(incident_id, phase)
        known, saved, suggestions = self._values(incident_id)
        result = []
        for checklist in progress.checklists:
            for state in checklist.steps:
                if state.step.is_runbook:
                    result.append(
                        self._runbook_step(state.ref, state.done, known, saved, suggestions)
                    )
        return result

    def step(self, incident_id: str, query: str) -> RunbookStep:
        ref = self._checklists.find(query)
        if not ref.step.is_runbook:
            raise ValidationError(f"Step {ref.number} ({ref.step.text}) has no command.")
        for step in self.steps(incident_id):
            if step.ref.step.key == ref.step.key:
                return step
        raise NotFoundError(f"No runbook step matches {query!r}.")  # pragma: no cover

    def values(self, incident_id: str) -> dict[str, str]:
        """The values asked for this incident (not those the record fills)."""
        return self._values(incident_id)[1]

    def set_value(self, incident_id: str, name: str, value: str) -> ChangeSet:
        """Remember ``<name>``'s value for this incident (every later copy uses it)."""
        name = check_name(name)
        value = check_value(name, value)
        self._incidents.get(incident_id)
        entity_id = f"{incident_id}:{name}"
        with self._ws.write() as conn:
            if _saved(conn, incident_id).get(name) == value:
                return ChangeSet()
            base = register_holder(conn, Entity.RUNBOOK_VALUE, entity_id, Field.VALUE)
            ops = self._ws.append(
                conn,
                [
                    OpDraft(
                        incident_id,
                        Entity.RUNBOOK_VALUE,
                        entity_id,
                        Field.VALUE,
                        register_change(value, base),
                    )
                ],
            )
        return changes_of(ops)

    def ran(
        self, incident_id: str, query: str, copied: str | None = None
    ) -> tuple[RunbookStep, ChangeSet]:
        """Log that the user ran a step's command ("ran: …" as the entry's action) and tick
        the step; refused while a placeholder has no value (the command was not complete),
        or when ``copied`` (what the user copied) is no longer what the values give."""
        step = self.step(incident_id, query)
        if step.text is None:
            names = ", ".join(f"<{n}>" for n in step.missing)
            raise ValidationError(f"Fill {names} first: the command is not complete.")
        if copied is not None and copied != step.text:
            raise ValidationError(
                "The placeholder values changed since you copied the command; copy it again."
            )
        with self._ws.write() as conn:
            drafts = [
                system_entry(
                    incident_id,
                    self._ws.clock.now(),
                    f"Runbook — {step.title}",
                    f"ran: {step.text}",
                    self._ws.author,
                    new_id(),
                )
            ]
            if not step.done:
                drafts.append(tick_draft(conn, incident_id, step.ref.step.key, True))
            ops = self._ws.append(conn, drafts)
        return replace(step, done=True), changes_of(ops)

    # -- helpers ---------------------------------------------------------------------------

    def _values(
        self, incident_id: str
    ) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
        incident = self._incidents.get(incident_id)
        from_record = values_from_incident(incident.services)
        with self._ws.read() as conn:
            saved = _saved(conn, incident_id)
            recent = _recent(conn, incident_id)
        if len(incident.services) > 1:
            recent["service"] = list(incident.services) + recent.get("service", [])
        return from_record, saved, recent

    @staticmethod
    def _runbook_step(
        ref: StepRef,
        done: bool,
        from_record: dict[str, str],
        saved: dict[str, str],
        suggestions: dict[str, list[str]],
    ) -> RunbookStep:
        values = {**from_record, **saved}
        holders = []
        for name in placeholders(ref.step.command):
            if name in saved:
                source = Source.SAVED
            elif name in from_record:
                source = Source.INCIDENT
            else:
                source = Source.MISSING
            offered = tuple(dict.fromkeys(suggestions.get(name, [])))[:SUGGESTIONS_MAX]
            holders.append(Placeholder(name, values.get(name), source, offered))
        reasons = destructive_reasons(ref.step.command)
        if ref.step.destructive and not reasons:
            reasons = ["marked destructive in the checklist"]
        return RunbookStep(
            ref, fill(ref.step.command, values), tuple(holders), tuple(reasons), done
        )


def _saved(conn: Connection, incident_id: str) -> dict[str, str]:
    return runbook_queries.saved_values(conn, incident_id)


def _recent(conn: Connection, incident_id: str) -> dict[str, list[str]]:
    """Values given to each placeholder on other incidents, newest first: likely again."""
    return runbook_queries.recent_values_elsewhere(conn, incident_id)
