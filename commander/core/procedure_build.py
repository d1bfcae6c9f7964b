"""Turning a checked procedure file (plain TOML values) into ``procedure_model`` values.

Called by ``procedure_file.load_procedure`` only after the schema and the meaning checks passed,
so every key is known and every name refers to something; what remains is conversion.
"""

from __future__ import annotations

from typing import Any

from commander.core.procedure_model import (
    ChecklistSpec,
    DeadlineSpec,
    FieldSpec,
    Procedure,
    RoleSpec,
    SeveritySpec,
    StepSpec,
    TemplateSpec,
    TypeSpec,
    When,
    parse_duration,
)


def build_procedure(data: dict[str, Any], source: str, text: str) -> Procedure:
    return Procedure(
        name=data["name"],
        version=data["version"],
        description=data.get("description", ""),
        severities=tuple(_severity(s) for s in data["severity"]),
        types=tuple(
            TypeSpec(t["key"], t["name"], t.get("description", "")) for t in data.get("type", [])
        ),
        roles=tuple(_role(r) for r in data.get("role", [])),
        deadlines=tuple(_deadline(d) for d in data["deadline"]),
        checklists=tuple(_checklist(c) for c in data.get("checklist", [])),
        templates=tuple(
            TemplateSpec(t["key"], t["name"], t["audience"], t["subject"], t["body"])
            for t in data.get("template", [])
        ),
        fields=tuple(_field(f) for f in data.get("field", [])),
        source=source,
        text=text,
    )


def when_of(raw: dict[str, Any] | None) -> When:
    raw = raw or {}
    return When(
        severity=tuple(raw.get("severity", ())),
        type=tuple(raw.get("type", ())),
        status=tuple(raw.get("status", ())),
        fields=dict(raw.get("fields", {})),
    )


def _severity(raw: dict[str, Any]) -> SeveritySpec:
    response = raw.get("response_time", "next business day")
    return SeveritySpec(
        key=raw["key"],
        name=raw["name"],
        headline=raw.get("headline", ""),
        definition=raw.get("definition", ""),
        examples=tuple(raw.get("examples", ())),
        response_time_text=raw.get("response_time_text", str(response)),
        response_time=None if response == "next business day" else parse_duration(response),
        escalation=raw.get("escalation", ""),
        colour=raw.get("colour", ""),
    )


def _role(raw: dict[str, Any]) -> RoleSpec:
    return RoleSpec(
        key=raw["key"],
        name=raw["name"],
        kind=raw["kind"],
        description=raw.get("description", ""),
        exclusive=bool(raw.get("exclusive", False)),
        aliases=tuple(raw.get("aliases", ())),
        required_when=tuple(when_of(w) for w in raw.get("required_when", ())),
    )


def _maybe(raw: dict[str, Any], key: str) -> Any:
    return parse_duration(raw[key]) if key in raw else None


def _deadline(raw: dict[str, Any]) -> DeadlineSpec:
    return DeadlineSpec(
        key=raw["key"],
        name=raw["name"],
        anchor=raw["anchor"],
        source=raw.get("source", ""),
        offset=_maybe(raw, "offset"),
        cadence=_maybe(raw, "cadence"),
        next_business_day=raw.get("business_hours") == "next_business_day",
        window=_maybe(raw, "window"),
        grace=_maybe(raw, "grace"),
        audience=raw.get("audience", ""),
        tightens=bool(raw.get("tightens", False)),
        when=when_of(raw.get("when")),
        met_by=tuple(raw.get("met_by", ("marked",))),
        not_applicable=raw.get("not_applicable"),
        cite=raw.get("cite", ""),
    )


def _checklist(raw: dict[str, Any]) -> ChecklistSpec:
    steps = tuple(
        StepSpec(
            key=s["key"],
            text=s["text"],
            detail=s.get("detail", ""),
            command=s.get("command", ""),
            note=s.get("note", ""),
            when=when_of(s.get("when")),
        )
        for s in raw["step"]
    )
    return ChecklistSpec(raw["key"], raw["phase"], raw["title"], steps, when_of(raw.get("when")))


def _field(raw: dict[str, Any]) -> FieldSpec:
    return FieldSpec(
        key=raw["key"],
        name=raw["name"],
        type=raw["type"],
        required=raw.get("required", "never"),
        choices=tuple(raw.get("choices", ())),
        help=raw.get("help", ""),
        when=when_of(raw.get("when")),
    )
