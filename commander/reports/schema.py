"""The published JSON Schema of the incident export, and validating a document against it.

The schema (draft 2020-12) ships inside the package, so an import checks a file without
network access; ``docs/incident-export.schema.json`` is the same file, published.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from commander.core.errors import ValidationError

SCHEMA_FILE = "incident-export.schema.json"


@cache
def export_schema() -> dict[str, Any]:
    text = resources.files("commander.reports").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_errors(document: Any, limit: int = 3) -> list[str]:
    """Where ``document`` breaks the schema, as short sentences (at most ``limit``)."""
    from jsonschema import Draft202012Validator  # only when a document is checked

    validator = Draft202012Validator(export_schema())
    found = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "the document"
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        found.append(f"{where}: {message}")
        if len(found) >= limit:
            break
    return found


def validate_export(document: Any) -> None:
    """Raise ``ValidationError`` naming the first problems if ``document`` is not an export."""
    errors = schema_errors(document)
    if errors:
        raise ValidationError(
            "This file is not a valid Commander incident export (" + "; ".join(errors) + ")."
        )
