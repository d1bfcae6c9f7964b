"""Checklists of the procedure per incident: ticking steps, and editing the checklists.

A tick is a register per step of an incident (so an untick is a newer value, and both sync);
each tick or untick is written together with its timeline entry ("Checklist: Acknowledge Alert
— done"), so the record shows who did what when. Editing a checklist writes the whole
checklist as one last-writer-wins op (like a message template): the procedure's checklists are
defaults a workspace may override, and "restore defaults" takes the override away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.checklists import (
    Checklist,
    Step,
    StepRef,
    add_step,
    check_checklist,
    edit_step,
    effective,
    find_checklist,
    find_step,
    move_step,
    numbered,
    remove_step,
)
from commander.core.clock import from_ms, iso
from commander.core.errors import NotFoundError, ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import Phase
from commander.core.procedure_checklists import (
    BUILTIN_CHECKLISTS,
    ChecklistConditions,
    checklists_of,
)
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_situation import incident_situation
from commander.core.records import ChangeSet
from commander.services.procedures import current_procedure
from commander.services.workspace import Workspace
from commander.storage import checklist_queries, queries
from commander.storage.incident_fields import current_values, incident_fields
from commander.storage.oplog import OpDraft, register_holder, system_entry


@dataclass(frozen=True)
class StepState:
    """A step of an incident's checklist, and whether (and by whom, when) it is done."""

    ref: StepRef
    done: bool
    at: datetime | None
    author: str
    applies: bool = True  # False: ticked, then the procedure's condition stopped holding

    @property
    def step(self) -> Step:
        return self.ref.step

    # Hand-written: the step's JSON merged with its state.
    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.ref.number,
            **self.step.to_json(),
            "done": self.done,
            "at": iso(self.at) if self.at else None,
            "by": self.author or None,
            "applies": self.applies,
        }


@dataclass(frozen=True)
class ChecklistProgress:
    checklist: Checklist
    steps: tuple[StepState, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    # Hand-written: the checklist flattened with computed counts.
    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.checklist.key,
            "phase": self.checklist.phase.value,
            "title": self.checklist.title,
            "done": self.done,
            "total": self.total,
            "steps": [s.to_json() for s in self.steps],
        }


@dataclass(frozen=True)
class IncidentChecklists:
    """Every checklist with its ticks for one incident."""

    incident_id: str
    checklists: tuple[ChecklistProgress, ...]

    def phase_progress(self, phase: Phase) -> tuple[int, int]:
        """(done, total) over the phase's checklists."""
        lists = [c for c in self.checklists if c.checklist.phase == phase]
        return sum(c.done for c in lists), sum(c.total for c in lists)

    def state(self, step_key: str) -> StepState | None:
        for checklist in self.checklists:
            for state in checklist.steps:
                if state.step.key == step_key:
                    return state
        return None

    # Hand-written: adds computed per-phase progress.
    def to_json(self) -> dict[str, Any]:
        phases = []
        for phase in Phase:
            done, total = self.phase_progress(phase)
            if total:
                phases.append(
                    {"phase": phase.value, "label": phase.label, "done": done, "total": total}
                )
        return {
            "incident_id": self.incident_id,
            "phases": phases,
            "checklists": [c.to_json() for c in self.checklists],
        }


class ChecklistService:
    """The workspace's checklists and the ticks of each incident."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- the checklists -----------------------------------------------------------------------

    def checklists(self) -> list[Checklist]:
        with self._ws.read() as conn:
            return _checklists(conn)

    def checklist(self, query: str) -> Checklist:
        return find_checklist(self.checklists(), query)

    def find(self, query: str) -> StepRef:
        return find_step(self.checklists(), query)

    def save(self, checklist: Checklist) -> Checklist:
        """Store ``checklist`` as this workspace's version (a default becomes edited)."""
        checked = check_checklist(checklist)
        with self._ws.write() as conn:
            self._append_content(conn, checked.key, checked.content())
        return self.checklist(checked.key)

    def new_checklist(self, title: str, phase: Phase, steps: Sequence[Step] = ()) -> Checklist:
        key = f"user-{new_id()}"
        return self.save(Checklist(key, phase, title, tuple(steps)))

    def add_step(
        self,
        checklist: str,
        text: str,
        *,
        detail: str = "",
        command: str = "",
        destructive: bool = False,
        after: str | None = None,
    ) -> StepRef:
        target = self.checklist(checklist)
        step = Step(new_id(), text, detail, command, "", destructive)
        after_key = self.find(after).step.key if after else None
        self.save(add_step(target, step, after=after_key))
        return self.find(step.key)

    def edit_step(self, step: str, **changes: Any) -> StepRef:
        ref = self.find(step)
        self.save(edit_step(ref.checklist, ref.step.key, **changes))
        return self.find(ref.step.key)

    def remove_step(self, step: str) -> StepRef:
        """Take a step out of its checklist; ticks already made stay on the timeline."""
        ref = self.find(step)
        self.save(remove_step(ref.checklist, ref.step.key))
        return ref

    def move_step(self, step: str, position: int) -> StepRef:
        """Move a step to ``position`` (1-based) in its checklist."""
        ref = self.find(step)
        self.save(move_step(ref.checklist, ref.step.key, position - 1))
        return self.find(ref.step.key)

    def restore_default(self, checklist: str) -> Checklist:
        """The procedure's version of a checklist again, in place of the workspace's edit."""
        target = self.checklist(checklist)
        if not target.builtin:
            raise ValidationError(
                f"{target.title!r} is not one of the procedure's checklists; delete it instead."
            )
        with self._ws.write() as conn:
            default = _defaults(conn)[target.key]
            self._append_content(conn, target.key, {**default.content(), "deleted": True})
        return self.checklist(target.key)

    def delete_checklist(self, checklist: str) -> Checklist:
        target = self.checklist(checklist)
        if target.builtin:
            raise ValidationError(
                f"{target.title!r} is the procedure's; restore its defaults instead."
            )
        with self._ws.write() as conn:
            self._append_content(conn, target.key, {**target.content(), "deleted": True})
        return target

    def _append_content(self, conn: Connection, key: str, content: dict[str, Any]) -> None:
        base = register_holder(conn, Entity.CHECKLIST, key, Field.CONTENT)
        self._ws.append(
            conn,
            [OpDraft("", Entity.CHECKLIST, key, Field.CONTENT, register_change(content, base))],
        )

    # -- an incident's ticks ---------------------------------------------------------------

    def progress(self, incident_id: str, phase: Phase | None = None) -> IncidentChecklists:
        with self._ws.read() as conn:
            if not queries.incident_exists(conn, incident_id):
                raise NotFoundError(f"No incident with id {incident_id}.")
            checklists = _checklists(conn)
            ticks = _ticks(conn, incident_id)
            applies = _applies_now(conn, incident_id)
        return _progress(incident_id, checklists, ticks, phase, applies)

    def tick(self, incident_id: str, step: str, done: bool = True) -> ChangeSet:
        """Tick (or untick) a step, with its timeline entry; nothing if it already is so."""
        ref = self.find(step)
        with self._ws.write() as conn:
            if not queries.incident_exists(conn, incident_id):
                raise NotFoundError(f"No incident with id {incident_id}.")
            if _ticks(conn, incident_id).get(ref.step.key, (False,))[0] == done:
                return ChangeSet()
            word = "done" if done else "not done (unticked)"
            drafts = [
                tick_draft(conn, incident_id, ref.step.key, done),
                system_entry(
                    incident_id,
                    self._ws.clock.now(),
                    f"Checklist: {ref.step.text} — {word}",
                    "",
                    self._ws.author,
                    new_id(),
                ),
            ]
            ops = self._ws.append(conn, drafts)
        return changes_of(ops)


# -- shared with the runbook service ---------------------------------------------------------


def tick_draft(conn: Connection, incident_id: str, step_key: str, done: bool) -> OpDraft:
    entity_id = f"{incident_id}:{step_key}"
    base = register_holder(conn, Entity.CHECK, entity_id, Field.DONE)
    return OpDraft(incident_id, Entity.CHECK, entity_id, Field.DONE, register_change(done, base))


def changes_of(ops: Iterable[Any]) -> ChangeSet:
    changes = ChangeSet()
    for op in ops:
        changes.add(op.incident_id, op.entity, op.entity_id)
    return changes


def _defaults(conn: Connection) -> dict[str, Checklist]:
    """The loaded procedure's checklists by key, as the file has them."""
    procedure = current_procedure(conn).procedure
    found = BUILTIN_CHECKLISTS if procedure is seed_procedure() else checklists_of(procedure)
    return {checklist.key: checklist for checklist in found}


def _checklists(conn: Connection) -> list[Checklist]:
    defaults = list(_defaults(conn).values())
    return effective(defaults, checklist_queries.checklist_edits(conn))


def _applies_now(conn: Connection, incident_id: str) -> Callable[[str, str], bool]:
    """Whether a (checklist, step) applies to the incident as it is now, by the procedure's
    conditions on severity, type, status and fields."""
    procedure = current_procedure(conn).procedure
    incident = queries.get_incident(conn, incident_id)
    if incident is None:
        raise NotFoundError(f"No incident with id {incident_id}.")
    values = current_values(incident_fields(conn, incident_id))
    now = incident_situation(
        procedure, incident.severity, incident.status, incident.security_related, values
    )
    conditions = ChecklistConditions.of(procedure)
    return lambda checklist, step: conditions.applies(checklist, step, now)


def _ticks(conn: Connection, incident_id: str) -> dict[str, tuple[bool, int, str]]:
    return checklist_queries.step_ticks(conn, incident_id)


def _progress(
    incident_id: str,
    checklists: list[Checklist],
    ticks: dict[str, tuple[bool, int, str]],
    phase: Phase | None,
    applies: Callable[[str, str], bool] = lambda _checklist, _step: True,
) -> IncidentChecklists:
    """Each checklist's steps that apply now, and those ticked before they stopped applying
    (kept, marked: a retired step's history never goes)."""
    by_list: dict[str, list[StepState]] = {c.key: [] for c in checklists}
    for ref in numbered(checklists):
        done, at_ms, author = ticks.get(ref.step.key, (False, 0, ""))
        holds = applies(ref.checklist.key, ref.step.key)
        if not holds and not done:
            continue
        by_list[ref.checklist.key].append(
            StepState(ref, done, from_ms(at_ms) if done else None, author if done else "", holds)
        )
    lists = tuple(
        ChecklistProgress(c, tuple(by_list[c.key]))
        for c in checklists
        if (phase is None or c.phase == phase)
        and (by_list[c.key] or (not c.steps and applies(c.key, "")))  # a new, empty list shows
    )
    return IncidentChecklists(incident_id, lists)


__all__ = ["ChecklistService", "IncidentChecklists", "StepState"]
