"""What a procedure's conditions see of an incident: one place builds it for roles and steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commander.core.deadline_facts import TYPE_FIELD
from commander.core.policy import Severity, Status
from commander.core.procedure_model import Procedure, Situation
from commander.core.severity_names import SeverityNames


def incident_situation(
    procedure: Procedure,
    severity: Severity,
    status: Status,
    security_related: bool,
    values: Mapping[str, Any],
) -> Situation:
    """The file's severity key, the incident's type, status, flags and custom ``values``."""
    fields = {**values, "security_related": security_related}
    kind = str(fields.pop(TYPE_FIELD, "") or "")
    return Situation(SeverityNames.of(procedure).key(severity), kind, status.value, fields)
