"""The procedure's checklists, verbatim: every step and every diagnostic or recovery command.

Read from the built-in procedure file (``core/procedures/seed.toml``), quoted from
``incident-response-procedures.md`` (a copy lives in ``docs/procedure.md``; a test parses it and
checks that every command of its code blocks is a step here, unchanged). Texts, commands and
placeholders are the procedure's own; the keys are ours and never change, since ticks on
incidents refer to them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from commander.core.checklists import Checklist, Step
from commander.core.policy import Phase
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure, Situation, When


def checklists_of(procedure: Procedure) -> tuple[Checklist, ...]:
    """A procedure file's checklists as the checklist engine reads them."""
    return tuple(
        Checklist(
            key=spec.key,
            phase=Phase(spec.phase),
            title=spec.title,
            steps=tuple(
                Step(key=s.key, text=s.text, detail=s.detail, command=s.command, note=s.note)
                for s in spec.steps
            ),
        )
        for spec in procedure.checklists
    )


BUILTIN_CHECKLISTS: tuple[Checklist, ...] = checklists_of(seed_procedure())

BUILTIN_BY_KEY = {checklist.key: checklist for checklist in BUILTIN_CHECKLISTS}


_ALWAYS = When()


@dataclass(frozen=True)
class ChecklistConditions:
    """When each of a procedure's checklists and steps applies; a key without a condition
    (a user's own checklist or step) always does."""

    checklists: Mapping[str, When]
    steps: Mapping[str, When]

    @classmethod
    def of(cls, procedure: Procedure) -> ChecklistConditions:
        return cls(
            {c.key: c.when for c in procedure.checklists},
            {s.key: s.when for c in procedure.checklists for s in c.steps},
        )

    def applies(self, checklist: str, step: str, now: Situation) -> bool:
        return self.checklists.get(checklist, _ALWAYS).holds(now) and self.steps.get(
            step, _ALWAYS
        ).holds(now)

    def changes(self, checklists: Sequence[Checklist], before: Situation, after: Situation) -> str:
        """Which checklists and steps a change added or retired, each with its condition (for
        the change's timeline entry)."""
        parts: list[str] = []
        for checklist in checklists:
            was = [s for s in checklist.steps if self.applies(checklist.key, s.key, before)]
            now = [s for s in checklist.steps if self.applies(checklist.key, s.key, after)]
            added = [s for s in now if s not in was]
            retired = [s for s in was if s not in now]
            whole = self.checklists.get(checklist.key, _ALWAYS)
            if added:
                why = self._why(whole, added, after)
                if not was:
                    parts.append(
                        f"Checklist added: {checklist.title} ({len(now)} steps), because {why}"
                    )
                else:
                    texts = ", ".join(s.text for s in added)
                    parts.append(
                        f"Checklist steps added to {checklist.title}: {texts}, because {why}"
                    )
            if retired:
                if not now:
                    parts.append(
                        f"Checklist retired: {checklist.title} (its condition no longer holds)"
                    )
                else:
                    texts = ", ".join(s.text for s in retired)
                    parts.append(f"Checklist steps retired from {checklist.title}: {texts}")
        return "; ".join(parts)

    def _why(self, whole: When, steps: Sequence[Step], now: Situation) -> str:
        if whole.holds(now) and whole.why() != "always":
            return whole.why()
        conditions = [self.steps[s.key] for s in steps if s.key in self.steps]
        return next((w.why() for w in conditions if w.why() != "always"), whole.why())
