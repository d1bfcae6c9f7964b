"""The built-in checklists are the procedure's, verbatim: parsed from the procedure itself.

``docs/procedure.md`` is the repository's copy of ``incident-response-procedures.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commander.core.policy import Phase
from commander.core.procedure_checklists import BUILTIN_CHECKLISTS

PROCEDURE = Path(__file__).resolve().parents[2] / "docs" / "procedure.md"
STEPS = [step for checklist in BUILTIN_CHECKLISTS for step in checklist.steps]


def _section(heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    lines = PROCEDURE.read_text(encoding="utf-8").splitlines()
    level = len(heading) - len(heading.lstrip("#"))
    start = lines.index(heading) + 1
    fenced = False
    for n in range(start, len(lines)):
        if lines[n].lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(rf"#{{1,{level}}} ", lines[n]):
            return "\n".join(lines[start:n])
    return "\n".join(lines[start:])


def _commands(text: str) -> list[tuple[str, str]]:
    """Every command line of the bash blocks in ``text``, with the comment above it."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
        note = ""
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#"):
                note = line.lstrip("#").strip()
            elif line:
                found.append((line, note))
    return found


def _bold_items(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(?:\d+\.|-) \*\*(.+?)\*\*: (.+?)\s*$", text, re.MULTILINE)


def test_every_command_of_the_procedure_is_a_runbook_step_verbatim() -> None:
    commands = _commands(_section("## Response Procedures"))
    assert len(commands) == 18  # 4 health, 3 certificate, 2 database, 5 network, 4 recovery
    by_command = {step.command: step for step in STEPS if step.command}
    for command, note in commands:
        assert command in by_command, command
        assert by_command[command].note == note, command
    assert len(by_command) == len(commands)  # and nothing else is shipped as a command


@pytest.mark.parametrize(
    ("heading", "title", "phase"),
    [
        ("#### Initial Response Steps", "Initial Response Steps", Phase.DETECTION),
        ("#### Service Recovery Actions", "Service Recovery Actions", Phase.CONTAINMENT),
        ("#### Service Restoration", "Service Restoration", Phase.RESOLUTION),
        ("#### Monitoring Enhancement", "Monitoring Enhancement", Phase.RESOLUTION),
        (
            "### Immediate Actions (Within 24 hours)",
            "Immediate Actions (Within 24 hours)",
            Phase.POST_INCIDENT,
        ),
    ],
)
def test_named_steps_are_the_procedures_in_order(heading: str, title: str, phase: Phase) -> None:
    checklist = next(c for c in BUILTIN_CHECKLISTS if c.title == title)
    assert checklist.phase == phase
    expected = _bold_items(_section(heading))
    assert expected, heading
    assert [(s.text, s.detail) for s in checklist.steps] == expected


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("#### System Health Assessment", "System Health Assessment"),
        ("#### Certificate Health Check", "Certificate Health Check"),
        ("#### Database Connectivity", "Database Connectivity"),
        ("#### Network Diagnostics", "Network Diagnostics"),
    ],
)
def test_diagnostic_checklists_hold_their_blocks_commands_in_order(
    heading: str, title: str
) -> None:
    checklist = next(c for c in BUILTIN_CHECKLISTS if c.title == title)
    assert checklist.phase == Phase.INVESTIGATION
    assert [(s.command, s.note) for s in checklist.steps] == _commands(_section(heading))


def test_step_keys_are_unique_and_stable_names() -> None:
    keys = [step.key for step in STEPS]
    assert len(keys) == len(set(keys))
    assert len({c.key for c in BUILTIN_CHECKLISTS}) == len(BUILTIN_CHECKLISTS)
