"""Checklists: the procedure's steps per phase, as data users edit, extend and sync.

A checklist is one record (key, phase, title, steps); a workspace keeps the procedure's
checklists as defaults (``procedure_checklists``) and stores only what users changed: an edited
checklist overrides its default as a whole (last writer wins, like a message template), and
"restore defaults" drops the override. Steps have stable keys, so a tick made on an incident
still points at its step after the step is renamed or moved.

Everything here is pure: edits return new records, the services turn them into ops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from commander.core import limits
from commander.core.errors import NotFoundError, ValidationError
from commander.core.policy import Phase, parse_phase
from commander.core.records_json import JsonRecord
from commander.core.text import clean_text

TEXT_MAX = limits.STEP_TEXT_MAX
DETAIL_MAX = limits.STEP_DETAIL_MAX
COMMAND_MAX = limits.STEP_COMMAND_MAX
STEPS_MAX = limits.STEPS_MAX
_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class Step(JsonRecord):
    """One step: what to do, and for a runbook step the command to copy (never run here).

    ``destructive`` is the user's own mark; commands the rules in ``runbooks`` recognise as
    destructive are marked whatever it says.
    """

    key: str
    text: str
    detail: str = ""
    command: str = ""
    note: str = ""  # the procedure's comment above the command
    destructive: bool = False

    @property
    def is_runbook(self) -> bool:
        return bool(self.command)

    @staticmethod
    def from_json(value: Mapping[str, Any]) -> Step:
        return Step(
            key=str(value["key"]),
            text=str(value["text"]),
            detail=str(value.get("detail", "")),
            command=str(value.get("command", "")),
            note=str(value.get("note", "")),
            destructive=bool(value.get("destructive", False)),
        )


@dataclass(frozen=True)
class Checklist:
    """A named list of steps belonging to one phase of the procedure."""

    key: str
    phase: Phase
    title: str
    steps: tuple[Step, ...]
    builtin: bool = False  # a procedure checklist (edited or not): it can be restored
    edited: bool = False  # a procedure checklist whose stored override differs

    def content(self) -> dict[str, Any]:
        """The stored form of a user's version (one last-writer-wins op value)."""
        return {
            "phase": self.phase.value,
            "title": self.title,
            "steps": [step.to_json() for step in self.steps],
            "deleted": False,
        }

    # Hand-written: its content() in the procedure file's shape.
    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "builtin": self.builtin,
            "edited": self.edited,
            **self.content(),
        }

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise NotFoundError(f"No step {key!r} in checklist {self.title!r}.")


def from_content(key: str, content: Mapping[str, Any], *, builtin: bool = False) -> Checklist:
    return Checklist(
        key=key,
        phase=Phase(content["phase"]),
        title=str(content["title"]),
        steps=tuple(Step.from_json(step) for step in content.get("steps", [])),
        builtin=builtin,
        edited=builtin,
    )


def effective(
    builtins: Sequence[Checklist], stored: Mapping[str, Mapping[str, Any]]
) -> list[Checklist]:
    """What a workspace shows: each default (or the users' version of it), then the users'
    own checklists in the order they were made, grouped by phase in the procedure's order.

    ``stored`` maps a key to its stored content (``deleted`` restores a default, hides a
    user checklist).
    """
    result: list[Checklist] = []
    for default in builtins:
        content = stored.get(default.key)
        parsed = None
        if content is not None and not content.get("deleted"):
            parsed = _parsed(default.key, content, builtin=True)
        result.append(parsed or replace(default, builtin=True))
    known = {c.key for c in builtins}
    for key in sorted(stored):
        content = stored[key]
        if key not in known and not content.get("deleted"):
            parsed = _parsed(key, content, builtin=False)
            if parsed is not None:
                result.append(parsed)
    order = list(Phase)
    return sorted(result, key=lambda c: order.index(c.phase))  # stable: keeps the order above


def _parsed(key: str, content: Mapping[str, Any], *, builtin: bool) -> Checklist | None:
    """A stored checklist, or None when it is unreadable (a newer or broken peer wrote it):
    the default shows instead, rather than one bad op breaking every laptop's checklists."""
    try:
        return from_content(key, content, builtin=builtin)
    except (KeyError, ValueError, TypeError, AttributeError):
        return None


def check_checklist(checklist: Checklist) -> Checklist:
    """The checklist with its texts cleaned, or a clear sentence saying what is wrong."""
    title = clean_text(checklist.title, what="Checklist title", limit=TEXT_MAX, required=True)
    if len(checklist.steps) > STEPS_MAX:
        raise ValidationError(f"A checklist holds at most {STEPS_MAX} steps.")
    seen: set[str] = set()
    steps = []
    for step in checklist.steps:
        if not _KEY.match(step.key):
            raise ValidationError(f"Step key {step.key!r} is not a valid key.")
        if step.key in seen:
            raise ValidationError(f"Step key {step.key!r} appears twice in {title!r}.")
        seen.add(step.key)
        steps.append(check_step(step))
    return replace(checklist, title=title, steps=tuple(steps))


def check_step(step: Step) -> Step:
    return replace(
        step,
        text=clean_text(step.text, what="Step text", limit=TEXT_MAX, required=True),
        detail=clean_text(step.detail, what="Step detail", limit=DETAIL_MAX),
        command=clean_text(step.command, what="Command", limit=COMMAND_MAX),
        note=clean_text(step.note, what="Command note", limit=DETAIL_MAX),
    )


# -- edits ------------------------------------------------------------------------------------


def add_step(checklist: Checklist, step: Step, *, after: str | None = None) -> Checklist:
    """``step`` appended, or placed right after the step keyed ``after``."""
    steps = list(checklist.steps)
    position = len(steps) if after is None else _index(checklist, after) + 1
    steps.insert(position, step)
    return replace(checklist, steps=tuple(steps))


def edit_step(checklist: Checklist, key: str, /, **changes: Any) -> Checklist:
    """Rename a step or change its detail, command or destructive mark; the key stays."""
    allowed = {"text", "detail", "command", "note", "destructive"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))} of a step.")
    steps = [replace(s, **changes) if s.key == key else s for s in checklist.steps]
    _index(checklist, key)
    return replace(checklist, steps=tuple(steps))


def remove_step(checklist: Checklist, key: str) -> Checklist:
    _index(checklist, key)
    return replace(checklist, steps=tuple(s for s in checklist.steps if s.key != key))


def move_step(checklist: Checklist, key: str, position: int) -> Checklist:
    """The step moved to ``position`` (0-based, clamped to the list)."""
    steps = list(checklist.steps)
    step = steps.pop(_index(checklist, key))
    steps.insert(max(0, min(position, len(steps))), step)
    return replace(checklist, steps=tuple(steps))


def _index(checklist: Checklist, key: str) -> int:
    for n, step in enumerate(checklist.steps):
        if step.key == key:
            return n
    raise NotFoundError(f"No step {key!r} in checklist {checklist.title!r}.")


def step_title(checklist: Checklist, step: Step) -> str:
    """How the timeline names a runbook step: its text, or its checklist and note when the
    text is the command itself."""
    if step.text == step.command:
        return f"{checklist.title}: {step.note or 'command'}"
    return f"{checklist.title}: {step.text}"


# -- finding steps ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StepRef:
    """A step with where it is: its checklist and its number (``2.3``: checklist 2, step 3)."""

    number: str
    checklist: Checklist
    step: Step


def numbered(checklists: Iterable[Checklist]) -> list[StepRef]:
    return [
        StepRef(f"{c_no}.{s_no}", checklist, step)
        for c_no, checklist in enumerate(checklists, start=1)
        for s_no, step in enumerate(checklist.steps, start=1)
    ]


def find_step(checklists: Sequence[Checklist], query: str) -> StepRef:
    """A step by key, number (``2.3``), exact text, or a text fragment only it contains.

    Raises:
        NotFoundError: nothing matches.
        ValidationError: the fragment matches several steps (they are named).
    """
    wanted = query.strip()
    if not wanted:
        raise ValidationError("Name a step by its key, number (e.g. 2.3) or text.")
    refs = numbered(checklists)
    for match in (
        lambda r: r.step.key == wanted or r.number == wanted,
        lambda r: r.step.text.casefold() == wanted.casefold(),
        lambda r: wanted.casefold() in r.step.text.casefold(),
    ):
        found = [r for r in refs if match(r)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = "; ".join(f"{r.number} {r.step.text}" for r in found[:4])
            raise ValidationError(f"{query!r} matches {len(found)} steps ({names}); be exact.")
    raise NotFoundError(f"No step matches {query!r}.")


def find_checklist(checklists: Sequence[Checklist], query: str) -> Checklist:
    """A checklist by key, number or (case-insensitive) title."""
    wanted = query.strip().casefold()
    for n, checklist in enumerate(checklists, start=1):
        if wanted in (checklist.key.casefold(), str(n), checklist.title.casefold()):
            return checklist
    raise NotFoundError(f"No checklist matches {query!r}.")


def phase_of(text: str) -> Phase:
    return parse_phase(text)
