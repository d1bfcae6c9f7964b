"""Values of an incident's type and custom fields, checked against the procedure's declaration.

One clear sentence for a value a field does not take; ``None`` is an emptied field. And the
fields that must be filled before an incident can be declared or resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from commander.core.deadline_facts import TYPE_FIELD
from commander.core.errors import ValidationError
from commander.core.procedure_model import FieldSpec, Procedure, Situation
from commander.core.records_json import JsonRecord, json_field
from commander.core.text import SHORT_MAX, clean_text


def shown(procedure: Procedure, key: str) -> str:
    """The field's name as the procedure writes it ("Customer tier"); "Type" for the type."""
    if key == TYPE_FIELD:
        return "Type"
    spec = next((f for f in procedure.fields if f.key == key), None)
    return spec.name if spec else key


def check_value(procedure: Procedure, key: str, text: str | None) -> Any:
    """The value ``text`` gives field ``key``, or ``ValidationError`` saying what it takes."""
    raw = "" if text is None else str(text).strip()
    if key == TYPE_FIELD:
        keys = [t.key for t in procedure.types]
        if not raw:
            return None
        found = next((t.key for t in procedure.types if raw.lower() in (t.key, t.name.lower())), "")
        if not found:
            names = ", ".join(keys) or "none"
            raise ValidationError(f"Unknown incident type {raw!r}: this procedure has {names}.")
        return found
    spec = next((f for f in procedure.fields if f.key == key), None)
    if spec is None:
        names = ", ".join([TYPE_FIELD, *(f.key for f in procedure.fields)])
        raise ValidationError(f"The procedure has no field {key!r}: use one of {names}.")
    if not raw:
        return None
    return _typed(spec, raw)


def _typed(spec: FieldSpec, raw: str) -> Any:
    if spec.type == "choice":
        if raw not in spec.choices:
            raise ValidationError(f"{spec.name} takes one of {', '.join(spec.choices)}.")
        return raw
    if spec.type == "multi_choice":
        picked = [part.strip() for part in raw.split(",") if part.strip()]
        wrong = [p for p in picked if p not in spec.choices]
        if wrong:
            raise ValidationError(f"{spec.name} takes any of {', '.join(spec.choices)}.")
        return picked
    if spec.type == "number":
        try:
            return float(raw)
        except ValueError:
            raise ValidationError(f"{spec.name} takes a number, not {raw!r}.") from None
    if spec.type == "datetime":
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            at = None
        if at is None or at.tzinfo is None:
            raise ValidationError(
                f"{spec.name} takes a date and time with a zone, like 2026-03-05T09:30+01:00."
            )
        return at.isoformat()
    if spec.type == "url" and not raw.startswith(("https://", "http://")):
        raise ValidationError(f"{spec.name} takes a web address starting with https://.")
    return clean_text(raw, what=spec.name, limit=SHORT_MAX)


def missing_at(
    procedure: Procedure, at: str, now: Situation, values: Mapping[str, Any]
) -> list[FieldSpec]:
    """The fields the procedure requires ``at`` declaration or resolution that are empty."""
    return [
        spec
        for spec in procedure.fields_required(at, now)
        if values.get(spec.key) in (None, "", [], ())
    ]


def placeholders(procedure: Procedure, values: Mapping[str, Any]) -> dict[str, str]:
    """What a message template's ``{{ field_<key> }}`` reads: the type's name as
    ``field_type`` and each declared field's text, "" while unset (shown as a placeholder)."""
    filled = {f"field_{spec.key}": "" for spec in procedure.fields}
    filled[f"field_{TYPE_FIELD}"] = ""
    for name, text in _texts(procedure, values):
        filled[f"field_{name}"] = text
    return filled


def placeholder_names(procedure: Procedure) -> dict[str, str]:
    """``field_<key>`` → the field's name ("Customer tier"); ``field_type`` → "Type"."""
    names = {f"field_{TYPE_FIELD}": "Type"}
    names.update({f"field_{spec.key}": spec.name for spec in procedure.fields})
    return names


def _texts(procedure: Procedure, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, text) for the type and each filled field, in the procedure's order."""
    rows: list[tuple[str, str]] = []
    kind = values.get(TYPE_FIELD)
    if kind:
        spec = next((t for t in procedure.types if t.key == kind), None)
        rows.append((TYPE_FIELD, spec.name if spec else str(kind)))
    for field_spec in procedure.fields:
        value = values.get(field_spec.key)
        if value is None or value == "" or value == []:
            continue
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        rows.append((field_spec.key, text))
    return rows


@dataclass(frozen=True)
class RecordedField(JsonRecord):
    """A filled field as a report states it: ``key`` and typed ``value`` for tools, ``name``
    and ``text`` for readers (the type's value is its key, its text its name)."""

    key: str
    name: str
    value: Any = field(metadata=json_field(as_is=True))
    text: str


def recorded_fields(procedure: Procedure, values: Mapping[str, Any]) -> list[RecordedField]:
    """The incident's type then each filled custom field, in the procedure's order: what a
    report lists so a reader sees what the procedure recorded."""
    return [
        RecordedField(key, shown(procedure, key), values.get(key), text)
        for key, text in _texts(procedure, values)
    ]


@dataclass(frozen=True)
class HeaderField:
    """One field as the window's header shows it; ``to_fill`` when the procedure requires
    it and it is still empty."""

    key: str
    name: str
    text: str
    to_fill: bool


def header_fields(
    procedure: Procedure, values: Mapping[str, Any], now: Situation
) -> list[HeaderField]:
    """The type (when the procedure has a choice of types or one is set) and every field the
    procedure asks for now, filled or not, in the procedure's order: the header's line."""
    texts = dict(_texts(procedure, values))
    rows: list[HeaderField] = []
    if len(procedure.types) > 1 or TYPE_FIELD in texts:
        rows.append(HeaderField(TYPE_FIELD, "Type", texts.get(TYPE_FIELD, ""), False))
    for spec in procedure.fields:
        text = texts.get(spec.key, "")
        if not text and not spec.when.holds(now):
            continue  # not asked for in this situation
        rows.append(HeaderField(spec.key, spec.name, text, not text and spec.required != "never"))
    return rows
