"""Severities as the loaded procedure names them, for every command that prints or reads one."""

from __future__ import annotations

from typing import Any

from commander.core.records import Incident
from commander.core.severity_names import SeverityNames
from commander.services.procedures import severity_names
from commander.services.workspace import Workspace


def names_of(ws: Workspace) -> SeverityNames:
    """The loaded procedure's names, read once per command."""
    with ws.read() as conn:
        return severity_names(conn)


def incident_json(incident: Incident, names: SeverityNames) -> dict[str, Any]:
    """The record as ``--json`` gives it: the stored key plus the procedure's key and name."""
    return {
        **incident.to_json(),
        "severity_key": names.key(incident.severity),
        "severity_name": names.name(incident.severity),
    }
