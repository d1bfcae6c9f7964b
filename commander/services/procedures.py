"""The workspace's procedure: which procedure file it runs, loading another, exporting it.

The procedure is workspace data: loading a file appends one signed op (a last-writer-wins
register, entity ``procedure``) that syncs like any other, so every laptop and the display run
the same file. A file is checked whole before anything is written: a file with problems is
refused with every problem by line and the workspace does not change. A workspace that never
loaded a file runs the built-in seed procedure. Loading mid-incident is logged on the timeline of
every active incident; it applies from then on and rewrites nothing already recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from commander.core.clock import from_ms, iso
from commander.core.deadline_facts import TYPE_FIELD
from commander.core.deadline_rules import severity_key
from commander.core.errors import ValidationError
from commander.core.ids import new_id
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import Severity, Status
from commander.core.procedure_fields import check_value, missing_at
from commander.core.procedure_file import (
    ProcedureError,
    load_procedure,
    seed_procedure,
    seed_text,
    stored_procedure,
)
from commander.core.procedure_model import FieldSpec, Procedure, SeveritySpec, Situation
from commander.core.procedure_situation import incident_situation
from commander.core.procedure_versions import ProcedureVersion, versions_in_effect
from commander.core.severity_names import SeverityNames
from commander.services.workspace import Workspace
from commander.storage import procedure_queries, queries
from commander.storage.incident_fields import current_values, incident_fields
from commander.storage.oplog import OpDraft, register_holder, system_entry
from commander.storage.tables_procedure import WORKSPACE_PROCEDURE

WORKSPACE_KEY = WORKSPACE_PROCEDURE
SOURCE_MAX = 200


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoadedProcedure:
    """The procedure the workspace runs, and where it came from.

    ``problem`` is set when the stored file cannot be read by this version of Commander (a
    newer format synced from another laptop): the seed runs meanwhile, and the reason is shown.
    """

    procedure: Procedure
    source: str
    digest: str
    loaded_at: datetime | None = None
    loaded_by: str | None = None
    problem: str | None = None

    @property
    def builtin(self) -> bool:
        return self.loaded_at is None

    # Hand-written: flattens the procedure into keys and lists of keys.
    def to_json(self) -> dict[str, Any]:
        p = self.procedure
        return {
            "name": p.name,
            "version": p.version,
            "description": p.description,
            "source": self.source,
            "builtin": self.builtin,
            "digest": self.digest,
            "loaded_at": None if self.loaded_at is None else iso(self.loaded_at),
            "loaded_by": self.loaded_by,
            "problem": self.problem,
            "severities": [s.key for s in p.severities],
            "types": [t.key for t in p.types],
            "roles": [r.key for r in p.roles],
            "deadlines": p.deadline_keys(),
            "checklists": [c.key for c in p.checklists],
            "templates": [t.key for t in p.templates],
            "fields": [{"key": f.key, "type": f.type, "required": f.required} for f in p.fields],
        }


def _seed() -> LoadedProcedure:
    return LoadedProcedure(seed_procedure(), "built-in", digest_of(seed_text()))


class ProcedureService:
    """Reads and loads the workspace's procedure file."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace

    def current(self) -> LoadedProcedure:
        with self._ws.read() as conn:
            return current_procedure(conn)

    def check(self, text: str, source: str) -> Procedure:
        """The procedure of ``text``, or ``ProcedureError`` with every problem; writes nothing."""
        return load_procedure(text, source)

    def load(self, text: str, source: str) -> LoadedProcedure:
        """Make ``text`` the workspace's procedure, after checking it whole.

        Raises:
            ProcedureError: the file has problems (listed by line); nothing was written.
        """
        name = " ".join(str(source).split())[:SOURCE_MAX] or "a file"
        procedure = load_procedure(text, name)
        with self._ws.write() as conn:
            before = current_procedure(conn)
            digest = digest_of(text)
            if digest == before.digest:
                return before
            content = {
                "text": text,
                "source": name,
                "name": procedure.name,
                "version": procedure.version,
                "digest": digest,
            }
            base = register_holder(conn, Entity.PROCEDURE, WORKSPACE_KEY, Field.CONTENT)
            change = register_change(content, base)
            drafts = [OpDraft("", Entity.PROCEDURE, WORKSPACE_KEY, Field.CONTENT, change)]
            now = self._ws.clock.now()
            event = (
                f"Procedure changed: {before.procedure.label} → {procedure.label} ({name}); "
                "its rules apply from now on, what was recorded stays as it was"
            )
            for incident in queries.list_incidents(conn):
                if incident.status.is_active:
                    drafts.append(system_entry(incident.id, now, event, "", "", new_id()))
            self._ws.append(conn, drafts)
            return current_procedure(conn)

    def export(self) -> str:
        """The text of the procedure file the workspace runs (the seed's when none was loaded)."""
        with self._ws.read() as conn:
            row = _row(conn)
        if row is None:
            return seed_text()
        return str(row[0]["text"])


def _row(conn: Connection) -> tuple[dict[str, Any], int, str] | None:
    found = procedure_queries.procedure_row(conn, WORKSPACE_KEY)
    if found is None:
        return None
    content = json.loads(found[0])
    if not isinstance(content, dict) or not isinstance(content.get("text"), str):
        return None
    return content, int(found[1]), str(found[2])


def current_procedure(conn: Connection) -> LoadedProcedure:
    """The procedure the workspace runs, read in the caller's transaction."""
    row = _row(conn)
    if row is None:
        return _seed()
    content, updated_ms, author = row
    text, source = content["text"], str(content.get("source", "a file"))
    loaded_at = from_ms(updated_ms)
    try:
        procedure = stored_procedure(text, source)
    except ValidationError as exc:
        problem = "\n".join(exc.problems) if isinstance(exc, ProcedureError) else str(exc)
        seed = _seed()
        return LoadedProcedure(
            seed.procedure, source, digest_of(text), loaded_at, author, problem=problem
        )
    return LoadedProcedure(procedure, source, digest_of(text), loaded_at, author)


def severity_names(conn: Connection) -> SeverityNames:
    """What the loaded procedure calls each level (``SEV1 Critical``), to show and to parse."""
    return SeverityNames.of(current_procedure(conn).procedure)


def severity_spec(conn: Connection, level: Severity) -> SeveritySpec | None:
    """The loaded procedure's row for ``level`` (response time, escalation), if it has one."""
    specs = current_procedure(conn).procedure.severities
    return specs[level.rank] if level.rank < len(specs) else None


def procedure_versions(conn: Connection, incident_id: str) -> list[ProcedureVersion]:
    """The procedure versions the incident ran under: the one at declaration, then each change
    while it was active (a change after it was resolved or closed did not apply to it)."""
    history = queries.register_history(conn, incident_id)
    seed = seed_procedure()
    builtin = ProcedureVersion(seed.name, seed.version, builtin=True)
    if history is None:
        return [builtin]
    until: datetime | None = None
    for at, value in history.of(Field.STATUS):
        active = Status(value).is_active
        if not active and until is None:
            until = at
        elif active:
            until = None
    stored = procedure_queries.procedure_history(conn, WORKSPACE_KEY)
    return versions_in_effect(stored, history.declared_at, builtin, until)


def declaration_values(
    procedure: Procedure, severity: Severity, given: Mapping[str, str] | None
) -> tuple[dict[str, Any], list[FieldSpec]]:
    """The checked values of the fields given when declaring, and the fields the procedure
    requires at declaration that are still empty.

    ``given`` is None for an incident declared by the app itself (an alert, an exercise, the
    demo): nothing is refused, the caller notes what is still to fill in.

    Raises:
        ValidationError: a value a field does not take, or (``given`` not None) a required
            field left empty, in one sentence naming it.
    """
    checked = {key: check_value(procedure, key, text) for key, text in (given or {}).items()}
    values = {key: value for key, value in checked.items() if value is not None}
    now = incident_situation(procedure, severity, Status.INVESTIGATING, False, values)
    missing = missing_at(procedure, "declaration", now, values)
    if missing and given is not None:
        names = " and ".join(f"{f.name} ({f.key})" for f in missing)
        raise ValidationError(
            f"The incident cannot be declared yet: the procedure requires {names} "
            "to be filled in when declaring."
        )
    return values, missing


def refuse_unfilled(conn: Connection, incident_id: str, severity: Severity, status: Status) -> None:
    """Refuse to resolve (or close) while a field the procedure requires at resolution is empty.

    Raises:
        ValidationError: one sentence naming every missing field.
    """
    procedure = current_procedure(conn).procedure
    values = current_values(incident_fields(conn, incident_id))
    kind = str(values.get(TYPE_FIELD) or "")
    now = Situation(severity_key(procedure, severity), kind, status.value, values)
    missing = missing_at(procedure, "resolution", now, values)
    if missing:
        names = " and ".join(f"{f.name} ({f.key})" for f in missing)
        raise ValidationError(
            f"The incident cannot be {status.value} yet: the procedure requires {names} "
            "to be filled in first."
        )
