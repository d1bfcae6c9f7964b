"""The seed procedure file reproduces the compiled-in procedure exactly.

``data/procedure_golden.json.gz`` was computed by the code before the procedure became a file:
every deadline of every severity (alone, acknowledged, with partners, updates, resolution,
re-opening, and every upgrade and downgrade) at several moments, plus the severity and deadline
tables, checklists, roles, required roles and templates. Everything is now read from the file.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from commander.core.policy import Severity, Status
from commander.core.procedure_checklists import BUILTIN_CHECKLISTS
from commander.core.procedure_file import load_procedure, seed_procedure, seed_text
from commander.core.roles import PROCEDURE_ROLES, required_roles
from commander.core.templates import BUILTIN_TEMPLATES
from tests.core.procedure_golden_cases import computed, tables

GOLDEN = Path(__file__).parent / "data" / "procedure_golden.json.gz"


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def test_the_seed_is_the_built_in_file_read_like_any_other() -> None:
    seed = seed_procedure()
    assert seed.source == "built-in"
    assert [s.key for s in seed.severities] == [s.value for s in Severity]


def test_the_seed_passes_the_schema_check_it_skips_at_start() -> None:
    """``seed_procedure`` leaves out the JSON-schema pass (start-up time); the file passes it."""
    checked = load_procedure(seed_text(), "built-in")
    assert checked.severities == seed_procedure().severities


def test_every_deadline_of_every_severity_equals_the_compiled_procedure(golden) -> None:
    now = computed()
    assert set(now) == set(golden["deadlines"])
    for case, deadlines in golden["deadlines"].items():
        assert now[case] == deadlines, case


def test_the_severity_and_deadline_tables_are_unchanged(golden) -> None:
    assert tables() == golden["tables"]


def test_checklists_roles_and_templates_are_unchanged(golden) -> None:
    lists = [
        {
            "key": c.key,
            "phase": c.phase.value,
            "title": c.title,
            "steps": [s.to_json() for s in c.steps],
        }
        for c in BUILTIN_CHECKLISTS
    ]
    assert lists == golden["checklists"]
    assert [{**r.to_json(), "aliases": list(r.aliases)} for r in PROCEDURE_ROLES] == golden["roles"]
    templates = [
        {
            "key": t.key,
            "name": t.name,
            "audience": t.audience.value,
            "subject": t.subject,
            "body": t.body,
        }
        for t in BUILTIN_TEMPLATES
    ]
    assert templates == golden["templates"]


def test_required_roles_are_unchanged(golden) -> None:
    now = {
        f"{s}-{sec}-{st}": required_roles(s, security_related=sec, status=st)
        for s in Severity
        for sec in (False, True)
        for st in Status
    }
    assert now == golden["required_roles"]


def test_the_published_schema_is_the_one_the_loader_uses() -> None:
    from commander.core.procedure_file import procedure_schema

    published = Path(__file__).parents[2] / "docs" / "procedure.schema.json"
    assert json.loads(published.read_text("utf-8")) == procedure_schema()
