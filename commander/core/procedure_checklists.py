"""The procedure's checklists, verbatim: every step and every diagnostic or recovery command.

Read from the built-in procedure file (``core/procedures/seed.toml``), quoted from
``incident-response-procedures.md`` (a copy lives in ``docs/procedure.md``; a test parses it and
checks that every command of its code blocks is a step here, unchanged). Texts, commands and
placeholders are the procedure's own; the keys are ours and never change, since ticks on
incidents refer to them.
"""

from __future__ import annotations

from commander.core.checklists import Checklist, Step
from commander.core.policy import Phase
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure


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
