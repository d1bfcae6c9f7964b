"""Reading a procedure file: TOML, checked against the schema and for meaning, all or nothing.

``load_procedure`` is the one way in, for the built-in seed and for a team's own file alike. A
file with any problem is refused with every problem listed by line (``ProcedureError``), so a
procedure is never half-loaded. The schema (``procedures/procedure.schema.json``, published as
``docs/procedure.schema.json``) catches shapes — unknown keys, bad durations, a deadline without
an anchor — and the checks here catch meaning: a condition naming a field, severity or type the
file does not declare, duplicate keys, an anchor on a field that is not a date and time.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from commander.core.errors import ValidationError
from commander.core.procedure_build import build_procedure
from commander.core.procedure_lines import Path, key_lines, line_of
from commander.core.procedure_model import BUILTIN_FLAGS, Procedure

SEED_FILE = "seed.toml"
_DURATION_PATTERN = r"^\s*(\d+\s*mo)?\s*(\d+\s*w)?\s*(\d+\s*d)?\s*(\d+\s*h)?\s*(\d+\s*m)?\s*$"
SCHEMA_FILE = "procedure.schema.json"
MAX_BYTES = 1_000_000


class ProcedureError(ValidationError):
    """A procedure file refused: ``problems`` are sentences, each naming its line."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{source} is not a valid procedure ({count} problem{'s' if count > 1 else ''}):"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


@cache
def procedure_schema() -> dict[str, Any]:
    text = resources.files("commander.core.procedures").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def seed_text() -> str:
    return resources.files("commander.core.procedures").joinpath(SEED_FILE).read_text("utf-8")


@cache
def seed_procedure() -> Procedure:
    """The built-in procedure (docs/procedure.md), read through the same path as any file.

    All but the JSON-schema pass: the shipped file is checked against the schema by the tests
    (``test_procedure_golden``), and importing and running jsonschema would cost every start
    of the window and of every command tens of milliseconds.
    """
    return load_procedure(seed_text(), "built-in", check_schema=False)


@lru_cache(maxsize=8)
def stored_procedure(text: str, source: str) -> Procedure:
    """A stored file read again (pure, so cached: a panel refreshing, or the search index
    reading the checklists, does not check it each time)."""
    return load_procedure(text, source)


def load_procedure(text: str, source: str, *, check_schema: bool = True) -> Procedure:
    """The procedure ``text`` describes, or ``ProcedureError`` listing every problem."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ProcedureError(source, [f"the file is larger than {MAX_BYTES // 1000} kB"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProcedureError(source, [f"not TOML: {exc}"]) from None
    lines = key_lines(text)
    found = _schema_problems(data, lines) if check_schema else []
    found += [p for p in _meaning_problems(data, lines) if p not in found]
    problems = [text for _, text in sorted(found, key=lambda item: item[0])]
    if not problems:
        try:
            return build_procedure(data, source, text)
        except ValidationError as exc:  # a value the schema lets through but cannot be used
            problems = [str(exc)]
    raise ProcedureError(source, problems)


def _at(lines: dict[Path, int], path: Sequence[str | int]) -> str:
    number = line_of(lines, path)
    return f"line {number}" if number is not None else "the file"


def _where(path: Sequence[str | int]) -> str:
    out = []
    for part in path:
        out.append(f"[{part + 1}]" if isinstance(part, int) else f".{part}")
    return "".join(out).lstrip(".") or "the top level"


def _schema_problems(data: dict[str, Any], lines: dict[Path, int]) -> list[tuple[int, str]]:
    from jsonschema import Draft202012Validator  # only when a file is read

    validator = Draft202012Validator(procedure_schema())
    found: list[tuple[int, str]] = []
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - allowed):
                where = [*path, extra]
                found.append(_problem(lines, where, f"unknown key {extra!r} in {_where(path)}"))
            continue
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        if error.validator == "pattern" and error.schema.get("pattern") == _DURATION_PATTERN:
            message = f"{error.instance!r} is not a duration (write 15m, 2h, 1h30m, 7d, 2w, 1mo)"
        elif error.validator == "anyOf" and path and path[-1] == "response_time":
            message = f"{error.instance!r} is not a duration (15m, 2h ...) or 'next business day'"
        elif error.validator == "const" and path == ["format"]:
            message = f"this Commander reads procedure format 1, not {error.instance!r}"
        elif error.validator == "required":
            message = message.replace("is a required property", "is missing")
        found.append(_problem(lines, path, f"{_where(path)}: {message}"))
    return found


def _problem(lines: dict[Path, int], path: Sequence[str | int], text: str) -> tuple[int, str]:
    number = line_of(lines, path) or 0
    return number, f"{_at(lines, path)}: {text}"


def _meaning_problems(data: dict[str, Any], lines: dict[Path, int]) -> list[tuple[int, str]]:
    """What the schema cannot see: names that must refer to something the file declares.

    Run even when the schema found problems, so one reading lists them all; an item whose
    shape is wrong (already reported by the schema) is skipped here.
    """
    found: list[tuple[int, str]] = []

    def add(path: Sequence[str | int], text: str) -> None:
        found.append(_problem(lines, path, text))

    def items(section: str) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(section, [])
        listed = value if isinstance(value, list) else []
        return [(i, item) for i, item in enumerate(listed) if isinstance(item, dict)]

    def keys(section: str) -> list[str]:
        return [str(item.get("key")) for _, item in items(section)]

    severities, types = keys("severity"), keys("type")
    if len(severities) > 4:  # incidents store four levels, P0-P3 (core/severity_names.py)
        add(
            ("severity", 4),
            f"a procedure has at most 4 severity levels, most severe first; this file has "
            f"{len(severities)}",
        )
    fields = {str(item.get("key")): item for _, item in items("field")}
    deadline_keys = set(keys("deadline"))
    for section in ("severity", "type", "role", "checklist", "template", "field"):
        seen: set[str] = set()
        for i, item in items(section):
            if str(item.get("key")) in seen:
                add((section, i, "key"), f"{section} key {item.get('key')!r} is used twice")
            seen.add(str(item.get("key")))
    for i, item in items("field"):
        if item.get("key") == "type":
            add(("field", i, "key"), "field key 'type' is the incident's type already")
        if item.get("key") in BUILTIN_FLAGS:
            add(("field", i, "key"), f"field {item.get('key')!r} is a built-in flag already")
        if item.get("type") in ("choice", "multi_choice") and not item.get("choices"):
            add(("field", i, "type"), f"field {item.get('key')!r} is a choice and needs choices")

    def check_when(when: Any, path: Path) -> None:
        if not isinstance(when, dict):
            return
        for name, known, what in (
            ("severity", severities, "severity"),
            ("type", types, "incident type"),
        ):
            for key in when.get(name, []) if isinstance(when.get(name), list) else []:
                if key not in known:
                    add((*path, name), f"condition names unknown {what} {key!r}")
        named = when.get("fields", {})
        for key in named if isinstance(named, dict) else {}:
            if key not in fields and key not in BUILTIN_FLAGS:
                add((*path, "fields", key), f"condition names unknown field {key!r}")

    for i, rule in items("deadline"):
        path: Path = ("deadline", i)
        check_when(rule.get("when"), (*path, "when"))
        anchor = str(rule.get("anchor", ""))
        if anchor.startswith("field:"):
            target = fields.get(anchor[6:])
            if target is None or target.get("type") != "datetime":
                add((*path, "anchor"), f"anchor {anchor!r} needs a datetime field of that key")
        if anchor.startswith("met:") and anchor[4:] not in deadline_keys:
            add((*path, "anchor"), f"anchor {anchor!r} names no deadline of the file")
        timed = [k for k in ("offset", "cadence", "business_hours") if k in rule]
        if "not_applicable" not in rule and len(timed) != 1:
            add(path, f"deadline {rule.get('key')!r} needs one of offset, cadence, business_hours")
        if "cadence" in rule and anchor != "active":
            add((*path, "cadence"), 'a cadence repeats while active: use anchor = "active"')
    for i, role in items("role"):
        whens = role.get("required_when", [])
        for j, when in enumerate(whens if isinstance(whens, list) else []):
            check_when(when, ("role", i, "required_when", j))
    for i, checklist in items("checklist"):
        check_when(checklist.get("when"), ("checklist", i, "when"))
        steps = checklist.get("step", [])
        for j, step in enumerate(steps if isinstance(steps, list) else []):
            if isinstance(step, dict):
                check_when(step.get("when"), ("checklist", i, "step", j, "when"))
    for i, item in items("field"):
        check_when(item.get("when"), ("field", i, "when"))
    return found
