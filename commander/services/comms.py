"""Composing and drafting incident communication.

Templates and drafts are ops (they sync, last writer wins). A composition is a template filled
from the record (and what the user typed) and formatted for one channel; putting it in the
outbox and delivering it is ``services/outbox.py``'s job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from commander.core import limits
from commander.core.channels import Channel
from commander.core.clock import from_ms
from commander.core.errors import NotFoundError
from commander.core.ids import new_id
from commander.core.messages import MessageContext, Preview, format_for
from commander.core.ops import Entity, Field, register_change
from commander.core.policy import Status
from commander.core.procedure_fields import placeholder_names, placeholders
from commander.core.records import Incident
from commander.core.roles import INCIDENT_COMMANDER
from commander.core.templates import (
    BUILTIN_TEMPLATES,
    FIELD_HELP,
    NAME_MAX,
    Audience,
    MessageTemplate,
    NotApplicable,
    Rendered,
    check_template,
    is_procedure_field,
    render,
)
from commander.core.text import clean_text
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.procedures import current_procedure, severity_names
from commander.services.report_link import report_link
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import comms_queries
from commander.storage.incident_fields import current_values, incident_fields
from commander.storage.oplog import OpDraft, register_holder

FIELD_VALUE_MAX = limits.FIELD_VALUE_MAX
UPDATE_INTERVAL = timedelta(minutes=30)


@dataclass(frozen=True)
class Draft:
    id: str
    incident_id: str
    template_key: str
    audience: Audience
    channel: Channel
    fields: dict[str, str]
    updated_at: datetime
    author: str


@dataclass(frozen=True)
class Composition:
    """A template filled for an incident and formatted for a channel."""

    template: MessageTemplate
    audience: Audience
    fields: dict[str, str]
    rendered: Rendered
    preview: Preview


class CommsService:
    """Templates, drafts and composing for one workspace.

    Args:
        deadlines: gives "Next Update".
        statuspage_impact, component_status, component_ids: status page settings for
            payloads (the public half of the channel settings).
    """

    def __init__(
        self,
        workspace: Workspace,
        deadlines: DeadlineService,
        *,
        statuspage_impact: str = "major",
        component_status: str = "major_outage",
        component_ids: tuple[str, ...] = (),
    ) -> None:
        self._ws = workspace
        self._deadlines = deadlines
        self._incidents = IncidentService(workspace)
        self.statuspage_impact = statuspage_impact
        self.component_status = component_status
        self.component_ids = component_ids

    @property
    def workspace(self) -> Workspace:
        return self._ws

    # -- templates -----------------------------------------------------------------------

    def templates(self) -> list[MessageTemplate]:
        """Shipped templates (or this workspace's edit of them), then the users' own."""
        with self._ws.read() as conn:
            rows = comms_queries.stored_templates(conn)
        stored = {row[0]: row for row in rows}
        result: list[MessageTemplate] = []
        for builtin in BUILTIN_TEMPLATES:
            row = stored.pop(builtin.key, None)
            if row is None or row[5]:
                result.append(builtin)
            else:
                result.append(MessageTemplate(row[0], row[1], Audience(row[2]), row[3], row[4]))
        for key, name, audience, subject, body, deleted in stored.values():
            if not deleted:
                result.append(MessageTemplate(key, name, Audience(audience), subject, body))
        return result

    def template(self, key: str) -> MessageTemplate:
        wanted = key.strip().lower()
        for template in self.templates():
            if template.key == wanted:
                return template
        names = ", ".join(t.key for t in self.templates())
        raise NotFoundError(f"No template {key!r}: use one of {names}.")

    def save_template(
        self,
        *,
        name: str,
        audience: Audience | str,
        subject: str,
        body: str,
        key: str | None = None,
    ) -> str:
        """Create or edit a template (a shipped one is overridden in this workspace)."""
        name = clean_text(name, what="Name", limit=NAME_MAX, required=True)
        audience = audience if isinstance(audience, Audience) else Audience(audience)
        check_template(subject, body)
        key = key or _slug(name)
        content = {
            "name": name,
            "audience": audience.value,
            "subject": subject,
            "body": body,
            "deleted": False,
        }
        self._write_content(Entity.TEMPLATE, "", key, content)
        return key

    def delete_template(self, key: str) -> None:
        """Remove a user template, or restore a shipped one to its original text."""
        template = self.template(key)
        content = {**template.to_json(), "deleted": True}
        content.pop("key")
        content.pop("builtin")
        self._write_content(Entity.TEMPLATE, "", template.key, content)

    # -- composing -----------------------------------------------------------------------

    def procedure_field_names(self) -> dict[str, str]:
        """``field_<key>`` → what the loaded procedure calls it, for the composer's labels."""
        with self._ws.read() as conn:
            procedure = current_procedure(conn).procedure
        return placeholder_names(procedure)

    def record_fields(self, incident_id: str) -> dict[str, str]:
        """Every field the record can fill (typed fields start empty)."""
        incident = self._incidents.get(incident_id)
        facts = self._deadlines.facts(incident_id)
        now = self._ws.clock.now()
        resolved_at = _resolved_at(facts.status_changes) if not incident.status.is_active else None
        end = resolved_at or now
        next_update = (
            self._deadlines.next_update(incident_id, now) if incident.status.is_active else None
        )
        if next_update is None and incident.status.is_active:
            next_update = now + UPDATE_INTERVAL
        fields: dict[str, str] = {name: "" for name in FIELD_HELP}
        with self._ws.read() as conn:
            names = severity_names(conn)
            values = current_values(incident_fields(conn, incident_id))
        fields.update(placeholders(self._deadlines.procedure, values))
        fields.update(
            {
                "ref": incident.ref,
                "title": incident.title,
                "severity": incident.severity.value.removeprefix("P"),
                "severity_name": names.name(incident.severity),
                "severity_key": names.key(incident.severity),
                "service": ", ".join(incident.services),
                "service_description": ", ".join(incident.services),
                "started": self._when(incident.declared_at),
                "duration": _duration(end - incident.declared_at),
                "impact": incident.impact,
                "status": incident.status.label,
                "next_update": self._when(next_update, time_only=True) if next_update else "",
                "incident_commander": self._incident_commander(incident),
                "resolved_at": self._when(end),
                "report": report_link(self._ws, incident.id, incident.ref),
            }
        )
        if not incident.status.is_active:
            fields["next_update"] = NotApplicable(
                f"none, the incident is {incident.status.label.lower()}"
            )
        return fields

    def _incident_commander(self, incident: Incident) -> str:
        """The IC on the roster now; the declarer until someone takes the role."""
        line = RosterService(self._ws).roster(incident.id).line(INCIDENT_COMMANDER)
        if line is not None and line.assigned and line.holder is not None:
            return line.holder.person_name or line.holder.holder_text()
        return incident.declared_by

    def compose(
        self,
        incident_id: str,
        template_key: str,
        *,
        channel: Channel,
        audience: Audience | None = None,
        typed: Mapping[str, str] | None = None,
    ) -> Composition:
        """Fill ``template_key`` from the record and ``typed`` values, for ``channel``."""
        template = self.template(template_key)
        incident = self._incidents.get(incident_id)
        audience = audience or template.audience
        fields = self.record_fields(incident_id)
        for name, value in (typed or {}).items():
            if (name in FIELD_HELP or is_procedure_field(name)) and str(value).strip():
                fields[name] = str(value).strip()
        rendered = render(template, fields)
        preview = format_for(channel, rendered, self._context(incident, audience))
        return Composition(template, audience, fields, rendered, preview)

    def _context(self, incident: Incident, audience: Audience) -> MessageContext:
        with self._ws.read() as conn:
            names = severity_names(conn)
        return MessageContext(
            incident_id=incident.id,
            ref=incident.ref,
            severity=incident.severity.value,
            severity_key=names.key(incident.severity),
            status=incident.status,
            audience=audience,
            statuspage_impact=self.statuspage_impact,
            component_status=self.component_status,
            component_ids=self.component_ids,
        )

    # -- drafts --------------------------------------------------------------------------

    def save_draft(
        self,
        incident_id: str,
        *,
        template_key: str,
        audience: Audience,
        channel: Channel,
        typed: Mapping[str, str],
        draft_id: str | None = None,
    ) -> str:
        """Keep the composer's state; it survives restarts and syncs."""
        self.template(template_key)
        self._incidents.get(incident_id)
        fields = {
            name: clean_text(str(value), what=name, limit=FIELD_VALUE_MAX, multiline=True)
            for name, value in typed.items()
            if (name in FIELD_HELP or is_procedure_field(name)) and str(value).strip()
        }
        draft_id = draft_id or new_id()
        content = {
            "template_key": template_key,
            "audience": audience.value,
            "channel": channel.value,
            "fields": fields,
            "discarded": False,
        }
        self._write_content(Entity.DRAFT, incident_id, draft_id, content)
        return draft_id

    def drafts(self, incident_id: str) -> list[Draft]:
        with self._ws.read() as conn:
            rows = comms_queries.open_drafts(conn, incident_id)
        return [
            Draft(
                row[0],
                row[1],
                row[2],
                Audience(row[3]),
                Channel(row[4]),
                json.loads(row[5]),
                from_ms(row[6]),
                row[7],
            )
            for row in rows
        ]

    def discard_draft(self, draft_id: str, conn: Connection | None = None) -> None:
        """Drop a draft (the outbox does this in the same transaction as queueing it)."""
        if conn is None:
            with self._ws.write() as own:
                self._discard(own, draft_id)
        else:
            self._discard(conn, draft_id)

    def _discard(self, conn: Connection, draft_id: str) -> None:
        row = comms_queries.draft_content(conn, draft_id)
        if row is None:
            raise NotFoundError(f"No draft with id {draft_id}.")
        content = {
            "template_key": row[1],
            "audience": row[2],
            "channel": row[3],
            "fields": json.loads(row[4]),
            "discarded": True,
        }
        self._append_content(conn, Entity.DRAFT, row[0], draft_id, content)

    # -- helpers -------------------------------------------------------------------------

    def _write_content(
        self, entity: str, incident_id: str, entity_id: str, content: dict[str, Any]
    ) -> None:
        with self._ws.write() as conn:
            self._append_content(conn, entity, incident_id, entity_id, content)

    def _append_content(
        self,
        conn: Connection,
        entity: str,
        incident_id: str,
        entity_id: str,
        content: dict[str, Any],
    ) -> None:
        base = register_holder(conn, entity, entity_id, Field.CONTENT)
        self._ws.append(
            conn,
            [
                OpDraft(
                    incident_id, entity, entity_id, Field.CONTENT, register_change(content, base)
                )
            ],
        )

    def _when(self, when: datetime, *, time_only: bool = False) -> str:
        local = when.astimezone(self._ws.zone)
        zone = local.tzname() or ""
        return (
            f"{local:%H:%M} {zone}".strip()
            if time_only
            else f"{local:%Y-%m-%d %H:%M} {zone}".strip()
        )


def _resolved_at(changes: Sequence[tuple[datetime, Status]]) -> datetime | None:
    resolved = None
    for when, status in changes:
        if status.is_active:
            resolved = None
        elif resolved is None:
            resolved = when
    return resolved


def _duration(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    parts.append(f"{minutes} min")
    return " ".join(parts)


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "template"
    return f"{slug}-{new_id()[-6:].lower()}"
